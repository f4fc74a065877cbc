package ec2

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// DefaultSecurityGroupClosed: the VPC's default security group allows no traffic.
var DefaultSecurityGroupClosed = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-default-security-group-closed",
		Title: "Default security groups have no ingress or egress rules",
		Description: "Anything launched without an explicit security group lands in the default " +
			"group; it must allow nothing. When Pulumi adopts the default group " +
			"(aws:ec2/defaultSecurityGroup) it removes every rule not listed, so absent ingress and " +
			"egress mean closed.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(e)(1)"},
		ResourceTypes: []string{awstypes.EC2DefaultSecurityGroup},
		Remediation:   "Declare aws.ec2.DefaultSecurityGroup for each VPC with no ingress and no egress rules.",
		References:    []string{"https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		results := []policy.Result{policy.Passed()}
		for _, p := range []string{"ingress", "egress"} {
			rules, _, res := check.Objects(r.Properties, p)
			switch {
			case res != nil:
				results = append(results, *res)
			case len(rules) > 0:
				results = append(results, policy.Failed("%s has %d rule(s): the default security group must allow no traffic", p, len(rules)))
			}
		}
		return policy.Merge(results...)
	},
}
