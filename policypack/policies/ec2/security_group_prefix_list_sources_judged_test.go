package ec2_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// prefixListStack: a list of the stack (pl-0clinic) admitted in all three rule forms, once
// through a property dependency while its ID is unknown, and an egress rule to an AWS list.
func prefixListStack() []pt.Res {
	return []pt.Res{
		{Type: awstypes.EC2ManagedPrefixList, Name: "clinic", Props: map[string]any{"id": "pl-0clinic", "name": "clinic-networks", "entries": []any{map[string]any{"cidr": "10.20.0.0/16"}}}},
		{Type: awstypes.EC2SecurityGroup, Name: "api-sg", Props: map[string]any{"ingress": []any{
			map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroups": []any{"sg-0lb"}},
			map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListIds": []any{"pl-0clinic"}},
		}}},
		{Type: awstypes.EC2SecurityGroupRule, Name: "db-from-clinic", Props: map[string]any{"type": "ingress", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "prefixListIds": []any{pt.Unknown}},
			Deps: map[string][]string{"prefixListIds": {"clinic"}}},
		{Type: awstypes.VPCSecurityGroupIngressRule, Name: "cache-from-clinic", Props: map[string]any{"ipProtocol": "tcp", "fromPort": 6379, "toPort": 6379, "prefixListId": "pl-0clinic"}},
		{Type: awstypes.EC2SecurityGroupRule, Name: "to-s3", Props: map[string]any{"type": "egress", "protocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListIds": []any{"pl-6ea54007"}}},
	}
}

func TestSecurityGroupPrefixListSourcesJudged(t *testing.T) {
	pt.RunStack(t, ec2.SecurityGroupPrefixListSourcesJudged, "ec2-security-group-prefix-list-sources-judged",
		[]string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(e)(1)"}, prefixListStack(), []pt.StackCase{
			{Name: "inline rule admits a list from elsewhere", Target: "api-sg", Set: map[string]any{"ingress[1].prefixListIds": []any{"pl-0clinic", "pl-4fa04526"}}, Want: policy.Undetermined,
				Msg: "ingress[1].prefixListIds pl-4fa04526: not a prefix list of this stack, so no policy sees its entries"},
			{Name: "ingress rule resource admits a list from elsewhere", Target: "cache-from-clinic", Set: map[string]any{"prefixListId": "pl-4fa04526"}, Want: policy.Undetermined,
				Msg: "prefixListId pl-4fa04526: not a prefix list of this stack"},
			{Name: "unknown list without a dependency", Add: []pt.Res{{Type: awstypes.EC2SecurityGroupRule, Name: "db-from-somewhere", Props: map[string]any{"type": "ingress", "prefixListIds": []any{pt.Unknown}}}},
				Check: "db-from-somewhere", Want: policy.Undetermined, Msg: "prefixListIds cannot be verified until the value is known: no property dependency ties it to a prefix list of this stack"},
			{Name: "dependency on the list removed", Remove: []string{"clinic"}, Check: "db-from-clinic", Want: policy.Undetermined, Msg: "no property dependency ties it"},
			{Name: "the list itself removed", Remove: []string{"clinic"}, Check: "cache-from-clinic", Want: policy.Undetermined, Msg: "prefixListId pl-0clinic: not a prefix list of this stack"},
			{Name: "rule type unknown is judged", Target: "to-s3", Set: map[string]any{"type": pt.Unknown}, Want: policy.Undetermined, Msg: "prefixListIds pl-6ea54007"},
			{Name: "rule type missing is judged", Target: "to-s3", Set: map[string]any{"type": pt.Missing}, Want: policy.Undetermined, Msg: "prefixListIds pl-6ea54007"},
			{Name: "secret list ID is not shown", Target: "cache-from-clinic", Set: map[string]any{"prefixListId": pt.Secret("pl-canary9f3")}, Want: policy.Undetermined, Msg: "not a prefix list of this stack"},
			{Name: "ingress of the wrong type", Target: "api-sg", Set: map[string]any{"ingress": pt.Wrong("443 from anywhere")}, Want: policy.Undetermined, Msg: "ingress is of type string"},
		})
}

func TestPrefixListSourcesJudgedLeavesOtherRulesAlone(t *testing.T) {
	p := ec2.SecurityGroupPrefixListSourcesJudged
	got := p.Stack(pt.Env(p, "", nil), pt.BuildStack("", prefixListStack()))
	var judged []string
	for _, r := range got {
		judged = append(judged, r.URN)
		require.Equal(t, policy.Pass, r.Status, "%s: %q", r.URN, r.Messages)
	}
	assert.ElementsMatch(t, []string{
		pt.URN(pt.DefaultStack, awstypes.EC2SecurityGroup, "api-sg"),
		pt.URN(pt.DefaultStack, awstypes.EC2SecurityGroupRule, "db-from-clinic"),
		pt.URN(pt.DefaultStack, awstypes.VPCSecurityGroupIngressRule, "cache-from-clinic"),
	}, judged, "the egress rule and the list itself get no verdict")
}
