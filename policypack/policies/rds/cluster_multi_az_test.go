package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterMultiAZ(t *testing.T) {
	good := []pt.Res{
		{Type: awstypes.RDSCluster, Name: "vitals", Props: goodCluster()},
		{Type: awstypes.RDSClusterInstance, Name: "writer", Props: map[string]any{"clusterIdentifier": "vitals-prod", "availabilityZone": "us-east-1a"}},
		{Type: awstypes.RDSClusterInstance, Name: "reader", Props: map[string]any{"clusterIdentifier": pt.Unknown, "availabilityZone": "us-east-1b"}, Deps: map[string][]string{"clusterIdentifier": {"vitals"}}},
	}
	pt.RunStack(t, rds.ClusterMultiAZ, "rds-cluster-multi-az", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, good, []pt.StackCase{
		{Name: "same zone", Target: "reader", Set: map[string]any{"availabilityZone": "us-east-1a"}, Check: "vitals", Want: policy.Fail, Msg: "all 2 instances of the cluster are in availabilityZone us-east-1a"},
		{Name: "single instance", Remove: []string{"reader"}, Check: "vitals", Want: policy.Fail, Msg: "the cluster has 1 instance(s)"},
		{Name: "reader of another cluster", Target: "writer", Set: map[string]any{"clusterIdentifier": "other-cluster"}, Check: "vitals", Want: policy.Fail, Msg: "the cluster has 1 instance(s)"},
		{Name: "zone missing", Target: "reader", Set: map[string]any{"availabilityZone": pt.Missing}, Check: "vitals", Want: policy.Undetermined, Msg: "availabilityZone of instance(s) reader is not set"},
		{Name: "zone unknown", Target: "reader", Set: map[string]any{"availabilityZone": pt.Unknown}, Check: "vitals", Want: policy.Undetermined, Msg: "cannot be verified until the value is known"},
		{Name: "zone secret", Target: "reader", Set: map[string]any{"availabilityZone": pt.Secret("us-east-1c")}, Check: "vitals", Want: policy.Pass},
		{Name: "zone wrong type", Target: "reader", Set: map[string]any{"availabilityZone": pt.Wrong(2)}, Check: "vitals", Want: policy.Undetermined, Msg: "availabilityZone of instance(s) reader"},
		{Name: "membership unknown", Target: "writer", Set: map[string]any{"clusterIdentifier": pt.Unknown, "availabilityZone": "us-east-1b"}, Check: "vitals", Want: policy.Undetermined, Msg: "clusterIdentifier of instance(s) writer cannot be verified"},
		{Name: "cluster identifier missing, instances by value", Target: "vitals", Set: map[string]any{"clusterIdentifier": pt.Missing}, Remove: []string{"reader"}, Want: policy.Undetermined, Msg: "clusterIdentifier of this cluster is not set, so instance(s) writer"},
		{Name: "serverless v1", Target: "vitals", Set: map[string]any{"engineMode": "serverless"}, Remove: []string{"reader", "writer"}, Want: policy.NotApplicable, Msg: "engineMode is serverless"},
	})
}
