package ec2

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// SubnetPublicIPDisabled: subnets do not hand out public addresses automatically.
var SubnetPublicIPDisabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-subnet-public-ip-disabled",
		Title: "Subnets do not assign public IPv4 or IPv6 addresses on launch",
		Description: "With mapPublicIpOnLaunch (or assignIpv6AddressOnCreation) every interface " +
			"started in the subnet is reachable from the internet unless its security group stops " +
			"it. Load balancers and NAT gateways get their addresses explicitly, so even public " +
			"subnets do not need it. Both default to false.",
		Severity:    policy.SeverityHigh,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)",
		},
		ResourceTypes: []string{awstypes.EC2Subnet},
		Remediation:   "Set mapPublicIpOnLaunch: false and assignIpv6AddressOnCreation: false (or leave them unset) on every aws.ec2.Subnet.",
		References:    []string{"https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		results := []policy.Result{policy.Passed()}
		for _, p := range []string{"mapPublicIpOnLaunch", "assignIpv6AddressOnCreation"} {
			on, res := check.Bool(r.Properties, p, false)
			switch {
			case res != nil:
				results = append(results, *res)
			case on:
				results = append(results, policy.Failed("%s is true: instances and tasks launched here get public addresses", p))
			}
		}
		return policy.Merge(results...)
	},
}
