package cloudtrail

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TrailLogFileValidationEnabled: trail log files carry integrity digests.
var TrailLogFileValidationEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:            "cloudtrail-trail-log-file-validation-enabled",
		Title:         "CloudTrail log file validation is on",
		Description:   "Digest files let an auditor prove that audit logs were not modified or deleted after delivery. enableLogFileValidation defaults to false.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(c)(1)", "164.312(c)(2)"},
		ResourceTypes: []string{awstypes.CloudTrailTrail},
		Remediation:   "Set enableLogFileValidation: true on the aws.cloudtrail.Trail.",
		References:    []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		on, res := check.Bool(r.Properties, "enableLogFileValidation", false)
		if res != nil {
			return *res
		}
		if !on {
			return policy.Failed("enableLogFileValidation is not true: tampering with delivered log files cannot be detected")
		}
		return policy.Passed()
	},
}
