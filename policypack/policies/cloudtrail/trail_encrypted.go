package cloudtrail

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// TrailEncrypted: trail log files are encrypted with a KMS key.
var TrailEncrypted = policy.Policy{
	Metadata: policy.Metadata{
		ID:            "cloudtrail-trail-encrypted",
		Title:         "CloudTrail log files are encrypted with a customer-managed KMS key",
		Description:   "The trail records every API call on the ePHI environment; its files must be encrypted with a key the hospital controls (SSE-KMS) rather than only S3-managed keys. kmsKeyId is unset by default; a value computed from a key of the stack (unknown during preview) counts as set.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.CloudTrailTrail},
		Remediation:   "Set kmsKeyId on the aws.cloudtrail.Trail to a customer-managed KMS key whose policy lets CloudTrail encrypt.",
		References:    []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		set, res := check.Set(r.Properties, "kmsKeyId")
		if res != nil {
			return *res
		}
		key, _ := props.String(r.Properties, "kmsKeyId") // "" while unknown
		if !set || check.IsAWSManagedKey(key) {
			return policy.Failed("kmsKeyId is not set to a customer-managed key: log files are only encrypted with S3-managed keys")
		}
		return policy.Passed()
	},
}
