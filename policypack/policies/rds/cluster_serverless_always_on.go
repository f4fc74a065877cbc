package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterServerlessAlwaysOn: outside production, a pausing Serverless v2 cluster is reported as
// advice (production stacks are judged by the mandatory twin).
var ClusterServerlessAlwaysOn = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-serverless-always-on",
		Title: "Aurora Serverless v2 clusters outside production do not scale to zero or auto-pause",
		Description: "A paused Serverless v2 cluster drops writes until it resumes. Outside production " +
			"this is allowed to save cost but reported, so that test environments behave like " +
			"production; production stacks are judged by rds-cluster-production-serverless-always-on.",
		Severity:      policy.SeverityLow,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set serverlessv2ScalingConfiguration.minCapacity to at least 0.5 and remove secondsUntilAutoPause, or accept the advice for this non-production stack.",
		References:    []string{refServerless2},
		Engine:        policy.EngineGo,
		Params:        []policy.Param{policy.ProductionStacksParam},
	},
	Resource: func(env policy.Env, r policy.Resource) policy.Result {
		if env.IsProduction() {
			return policy.NotApplicableBecause("stack %s is a production stack (see rds-cluster-production-serverless-always-on)", env.Stack)
		}
		return serverlessAlwaysOn(r)
	},
}
