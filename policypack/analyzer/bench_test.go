package analyzer

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/carepulse/hipaa-pipeline/policypack/registry"
)

// BenchmarkAnalyzeCluster measures one Analyze call as the engine makes it (properties as a
// protobuf struct, unmarshalled, every applicable policy run, diagnostics built) for an Aurora
// cluster, the type with the most policies.
func BenchmarkAnalyzeCluster(b *testing.B) {
	all, err := registry.All()
	if err != nil {
		b.Fatal(err)
	}
	s := New(all, nil)
	props, err := plugin.MarshalProperties(resource.PropertyMap{
		"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.NewProperty(false),
		"kmsKeyId": resource.MakeComputed(resource.NewProperty("")), "backupRetentionPeriod": resource.NewProperty(1.0),
		"masterPassword": resource.MakeSecret(resource.NewProperty("hunter2-hunter2")),
	}, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	if err != nil {
		b.Fatal(err)
	}
	req := &pulumirpc.AnalyzeRequest{Urn: "urn:pulumi:prod::carepulse::aws:rds/cluster:Cluster::db", Type: "aws:rds/cluster:Cluster", Name: "db", Properties: props}
	ctx := context.Background()
	b.ReportAllocs()
	diags := 0
	for b.Loop() {
		resp, err := s.Analyze(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		diags += len(resp.Diagnostics)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "resources/s")
	b.ReportMetric(float64(diags)/float64(b.N), "diagnostics/op")
}
