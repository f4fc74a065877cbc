package cloudtrail

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TrailMultiRegionLogging: the trail covers every region and is logging.
var TrailMultiRegionLogging = policy.Policy{
	Metadata: policy.Metadata{
		ID:            "cloudtrail-trail-multi-region-logging",
		Title:         "CloudTrail trails are multi-region and logging",
		Description:   "Activity in any region (including ones the pipeline does not use) must be recorded, and a trail with logging stopped records nothing. isMultiRegionTrail defaults to false, enableLogging to true.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.312(b)"},
		ResourceTypes: []string{awstypes.CloudTrailTrail},
		Remediation:   "Set isMultiRegionTrail: true (and includeGlobalServiceEvents) and do not set enableLogging: false on the aws.cloudtrail.Trail.",
		References:    []string{refTrail},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		var results []policy.Result
		multi, res := check.Bool(r.Properties, "isMultiRegionTrail", false)
		switch {
		case res != nil:
			results = append(results, *res)
		case !multi:
			results = append(results, policy.Failed("isMultiRegionTrail is not true: activity in other regions is not recorded"))
		}
		logging, res := check.Bool(r.Properties, "enableLogging", true)
		switch {
		case res != nil:
			results = append(results, *res)
		case !logging:
			results = append(results, policy.Failed("enableLogging is false: the trail records nothing"))
		}
		return policy.Merge(append(results, policy.Passed())...)
	},
}
