package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterProductionServerlessAlwaysOn: on production stacks, Serverless v2 never pauses.
var ClusterProductionServerlessAlwaysOn = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-production-serverless-always-on",
		Title: "Production Aurora Serverless v2 clusters never scale to zero or auto-pause",
		Description: "Real-time patient monitoring must always be able to write: a paused Serverless " +
			"v2 cluster (minCapacity 0, secondsUntilAutoPause) needs seconds to resume and rejects " +
			"connections meanwhile. On stacks named in productionStacks this is a violation; the " +
			"advisory twin rds-cluster-serverless-always-on reports it on other stacks.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set serverlessv2ScalingConfiguration.minCapacity to at least 0.5 and remove secondsUntilAutoPause.",
		References:    []string{refServerless2, "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html"},
		Engine:        policy.EngineGo,
		Params:        []policy.Param{policy.ProductionStacksParam},
	},
	Resource: func(env policy.Env, r policy.Resource) policy.Result {
		if !env.IsProduction() {
			return policy.NotApplicableBecause("stack %s is not a production stack (see rds-cluster-serverless-always-on)", env.Stack)
		}
		return serverlessAlwaysOn(r)
	},
}
