package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterDeletionProtection: production Aurora clusters cannot be deleted by accident.
var ClusterDeletionProtection = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-deletion-protection",
		Title: "Production Aurora clusters have deletion protection on",
		Description: "A stray `pulumi destroy` or replacement must not delete the production ePHI " +
			"database. deletionProtection defaults to false. Stacks not named in productionStacks " +
			"are not applicable (development clusters are meant to be torn down).",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set deletionProtection: true on the aws.rds.Cluster of production stacks.",
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Modifying.html"},
		Engine:        policy.EngineGo,
		Params:        []policy.Param{policy.ProductionStacksParam},
	},
	Resource: clusterDeletionProtection,
}

func clusterDeletionProtection(env policy.Env, r policy.Resource) policy.Result {
	if !env.IsProduction() {
		return policy.NotApplicableBecause("stack %s is not a production stack", env.Stack)
	}
	on, res := check.Bool(r.Properties, "deletionProtection", false)
	if res != nil {
		return *res
	}
	if !on {
		return policy.Failed("deletionProtection is not true on a cluster of production stack %s", env.Stack)
	}
	return policy.Passed()
}
