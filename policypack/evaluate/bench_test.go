package evaluate_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
)

// templates are property sets for common types: a compliant-looking one, a broken one and one
// with values unknown (preview). Other types get an empty map (provider defaults).
var templates = map[string][]resource.PropertyMap{
	"aws:rds/cluster:Cluster": {
		{"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.NewProperty(true),
			"kmsKeyId": resource.NewProperty("arn:aws:kms:us-east-1:111122223333:key/k"), "backupRetentionPeriod": resource.NewProperty(14.0),
			"deletionProtection": resource.NewProperty(true), "manageMasterUserPassword": resource.NewProperty(true),
			"enabledCloudwatchLogsExports": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("postgresql")})},
		{"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.NewProperty(false),
			"masterPassword": resource.MakeSecret(resource.NewProperty("hunter2-hunter2"))},
		{"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.MakeComputed(resource.NewProperty("")),
			"kmsKeyId": resource.MakeComputed(resource.NewProperty(""))},
	},
	"aws:kms/key:Key": {
		{"enableKeyRotation": resource.NewProperty(true), "rotationPeriodInDays": resource.NewProperty(90.0)},
		{"enableKeyRotation": resource.NewProperty(false)},
		{"enableKeyRotation": resource.MakeComputed(resource.NewProperty(""))},
	},
	"aws:kinesis/stream:Stream": {
		{"encryptionType": resource.NewProperty("KMS"), "kmsKeyId": resource.NewProperty("arn:aws:kms:us-east-1:111122223333:key/k")},
		{"encryptionType": resource.NewProperty("NONE")},
		{"encryptionType": resource.NewProperty("KMS"), "kmsKeyId": resource.NewProperty("alias/aws/kinesis")},
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		{"atRestEncryptionEnabled": resource.NewProperty(true), "transitEncryptionEnabled": resource.NewProperty(true),
			"transitEncryptionMode": resource.NewProperty("required"), "multiAzEnabled": resource.NewProperty(true),
			"automaticFailoverEnabled": resource.NewProperty(true), "numCacheClusters": resource.NewProperty(2.0),
			"snapshotRetentionLimit": resource.NewProperty(7.0), "kmsKeyId": resource.NewProperty("arn:aws:kms:us-east-1:111122223333:key/k")},
		{"atRestEncryptionEnabled": resource.NewProperty("false"), "transitEncryptionMode": resource.NewProperty("preferred")},
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		{"kmsKeyId": resource.NewProperty("arn:aws:kms:us-east-1:111122223333:key/k"), "retentionInDays": resource.NewProperty(400.0)},
		{"retentionInDays": resource.NewProperty(30.0)},
	},
}

// generateStack makes n resources cycling over every type the pack reads.
func generateStack(b *testing.B, all []policy.Policy, n int) []policy.Resource {
	b.Helper()
	seen := map[string]bool{}
	var types []string
	for _, p := range all {
		for _, t := range p.ResourceTypes {
			if !seen[t] {
				seen[t] = true
				types = append(types, t)
			}
		}
	}
	sort.Strings(types)
	if len(types) == 0 {
		b.Fatal("the registry has no resource types")
	}
	out := make([]policy.Resource, n)
	for i := range out {
		typ := types[i%len(types)]
		props := resource.PropertyMap{}
		if ts := templates[typ]; len(ts) > 0 {
			props = ts[(i/len(types))%len(ts)].Copy()
		}
		name := fmt.Sprintf("r-%05d", i)
		out[i] = policy.Resource{URN: string(resource.CreateURN(name, typ, "", "carepulse", "prod")), Type: typ, Name: name, Properties: props}
	}
	return out
}

// BenchmarkEvaluate10kStack evaluates every Go and Rego policy, resource-level and stack-level,
// over a generated 10,000-resource stack and reports findings per second.
func BenchmarkEvaluate10kStack(b *testing.B) {
	all, err := registry.All()
	if err != nil {
		b.Fatal(err)
	}
	resources := generateStack(b, all, 10_000)
	cfg := packconfig.Defaults(all)
	stack := evaluate.Stack{Project: "carepulse", Name: "prod"}
	b.ReportAllocs()
	b.ResetTimer()
	findings, outcomes := 0, 0
	for b.Loop() {
		r := evaluate.Evaluate(all, cfg, nil, stack, resources)
		findings += len(r.Findings)
		outcomes += len(r.Outcomes)
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(findings)/sec, "findings/s")
	b.ReportMetric(float64(outcomes)/sec, "verdicts/s")
	b.ReportMetric(float64(b.N*len(resources))/sec, "resources/s")
	b.ReportMetric(float64(findings)/float64(b.N), "findings/op")
}
