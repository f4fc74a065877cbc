package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterInstanceNotPubliclyAccessible: Aurora instances have no public endpoint.
var ClusterInstanceNotPubliclyAccessible = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-instance-not-publicly-accessible",
		Title: "Aurora cluster instances are not publicly accessible",
		Description: "A publicly accessible instance gets a public DNS name and IP address, exposing " +
			"the ePHI database to the internet. publiclyAccessible defaults to false.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"},
		ResourceTypes: []string{awstypes.RDSClusterInstance},
		Remediation:   "Set publiclyAccessible: false (or leave it unset) on every aws.rds.ClusterInstance.",
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterInstanceNotPubliclyAccessible,
}

func clusterInstanceNotPubliclyAccessible(_ policy.Env, r policy.Resource) policy.Result {
	public, res := check.Bool(r.Properties, "publiclyAccessible", false)
	if res != nil {
		return *res
	}
	if public {
		return policy.Failed("publiclyAccessible is true: the instance has a public endpoint")
	}
	return policy.Passed()
}
