package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterPerformanceInsightsKey: Performance Insights data is encrypted with a customer key.
var ClusterPerformanceInsightsKey = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-performance-insights-key",
		Title: "Performance Insights on Aurora is encrypted with a customer-managed KMS key",
		Description: "Performance Insights keeps query text and wait samples, which can carry ePHI " +
			"from SQL literals. When it is on, its data must be encrypted with a customer-managed key " +
			"rather than the AWS-managed aws/rds key. Where it is off the policy is not applicable.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.RDSCluster, awstypes.RDSClusterInstance},
		Remediation:   "Set performanceInsightsKmsKeyId to a customer-managed KMS key wherever performanceInsightsEnabled is true.",
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.Enabling.html"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterPerformanceInsightsKey,
}

func clusterPerformanceInsightsKey(_ policy.Env, r policy.Resource) policy.Result {
	on, res := check.Bool(r.Properties, "performanceInsightsEnabled", false)
	if res != nil {
		return *res
	}
	if !on {
		return policy.NotApplicableBecause("performanceInsightsEnabled is not true")
	}
	customer, res := check.CustomerKey(r.Properties, "performanceInsightsKmsKeyId")
	if res != nil {
		return *res
	}
	if !customer {
		return policy.Failed("performanceInsightsKmsKeyId is not set to a customer-managed key: Performance Insights data is encrypted with the AWS-managed key aws/rds")
	}
	return policy.Passed()
}
