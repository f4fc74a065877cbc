package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestInstanceNotPubliclyAccessible(t *testing.T) {
	pt.Run(t, rds.InstanceNotPubliclyAccessible, "rds-instance-not-publicly-accessible",
		[]string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"}, awstypes.RDSInstance, goodInstance(), []pt.Case{
			{Name: "public", Set: map[string]any{"publiclyAccessible": true}, Want: policy.Fail, Msg: "publiclyAccessible is true: the instance has a public endpoint"},
			{Name: "missing is private", Set: map[string]any{"publiclyAccessible": pt.Missing}, Want: policy.Pass},
			{Name: "unknown", Set: map[string]any{"publiclyAccessible": pt.Unknown}, Want: policy.Undetermined, Msg: "publiclyAccessible cannot be verified until the value is known"},
			{Name: "secret true", Set: map[string]any{"publiclyAccessible": pt.Secret(true)}, Want: policy.Fail, Msg: "publiclyAccessible is true"},
			{Name: "secret false", Set: map[string]any{"publiclyAccessible": pt.Secret(false)}, Want: policy.Pass},
			{Name: "string true", Set: map[string]any{"publiclyAccessible": pt.Wrong("TRUE")}, Want: policy.Fail, Msg: "publiclyAccessible is true"},
			{Name: "string false", Set: map[string]any{"publiclyAccessible": pt.Wrong("false")}, Want: policy.Pass},
			{Name: "number", Set: map[string]any{"publiclyAccessible": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "publiclyAccessible is of type number"},
		})
}
