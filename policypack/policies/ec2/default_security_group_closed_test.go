package ec2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestDefaultSecurityGroupClosed(t *testing.T) {
	good := map[string]any{"vpcId": "vpc-0abc", "ingress": []any{}, "egress": []any{}}
	rule := map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": []any{"0.0.0.0/0"}}
	pt.Run(t, ec2.DefaultSecurityGroupClosed, "ec2-default-security-group-closed", []string{"164.312(e)(1)"}, awstypes.EC2DefaultSecurityGroup, good, []pt.Case{
		{Name: "ingress rule", Set: map[string]any{"ingress": []any{rule}}, Want: policy.Fail, Msg: "ingress has 1 rule(s)"},
		{Name: "egress rule", Set: map[string]any{"egress": []any{rule, rule}}, Want: policy.Fail, Msg: "egress has 2 rule(s)"},
		{Name: "rules absent means closed", Set: map[string]any{"ingress": pt.Missing, "egress": pt.Missing}, Want: policy.Pass},
		{Name: "ingress unknown", Set: map[string]any{"ingress": pt.Unknown}, Want: policy.Undetermined, Msg: "ingress cannot be verified until the value is known"},
		{Name: "ingress element unknown", Set: map[string]any{"ingress": []any{pt.Unknown}}, Want: policy.Undetermined, Msg: "ingress[0] cannot be verified"},
		{Name: "secret rules", Set: map[string]any{"egress": pt.Secret([]any{rule})}, Want: policy.Fail, Msg: "egress has 1 rule(s)"},
		{Name: "ingress wrong type", Set: map[string]any{"ingress": pt.Wrong("none")}, Want: policy.Undetermined, Msg: "ingress is of type string"},
		{Name: "unknown ingress but egress open", Set: map[string]any{"ingress": pt.Unknown, "egress": []any{rule}}, Want: policy.Fail, Msg: "egress has 1 rule(s)"},
	})
}
