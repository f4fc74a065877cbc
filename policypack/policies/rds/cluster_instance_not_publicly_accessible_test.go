package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterInstanceNotPubliclyAccessible(t *testing.T) {
	good := map[string]any{"clusterIdentifier": "vitals-prod", "instanceClass": "db.serverless", "publiclyAccessible": false, "availabilityZone": "us-east-1a"}
	pt.Run(t, rds.ClusterInstanceNotPubliclyAccessible, "rds-cluster-instance-not-publicly-accessible",
		[]string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"}, awstypes.RDSClusterInstance, good, []pt.Case{
			{Name: "public", Set: map[string]any{"publiclyAccessible": true}, Want: policy.Fail, Msg: "publiclyAccessible is true"},
			{Name: "missing is private", Set: map[string]any{"publiclyAccessible": pt.Missing}, Want: policy.Pass},
			{Name: "unknown", Set: map[string]any{"publiclyAccessible": pt.Unknown}, Want: policy.Undetermined, Msg: "publiclyAccessible cannot be verified until the value is known"},
			{Name: "secret true", Set: map[string]any{"publiclyAccessible": pt.Secret(true)}, Want: policy.Fail, Msg: "publiclyAccessible"},
			{Name: "string true", Set: map[string]any{"publiclyAccessible": pt.Wrong("true")}, Want: policy.Fail, Msg: "publiclyAccessible"},
			{Name: "list", Set: map[string]any{"publiclyAccessible": pt.Wrong([]any{true})}, Want: policy.Undetermined, Msg: "publiclyAccessible is of type array"},
		})
}
