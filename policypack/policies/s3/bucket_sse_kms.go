package s3

import (
	"fmt"
	"slices"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// SSES3BucketsParam lists bucket names allowed to use SSE-S3 (AES256) instead of SSE-KMS.
const SSES3BucketsParam = "sseS3AllowedBuckets"

// BucketSSEKMS: bucket default encryption is SSE-KMS with a customer-managed key.
var BucketSSEKMS = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "s3-bucket-sse-kms",
		Title: "S3 log buckets encrypt by default with SSE-KMS and a customer-managed key",
		Description: "Log and audit buckets can hold ePHI fragments and must be encrypted with a key " +
			"the hospital controls, so that reading an object also needs kms:Decrypt and is logged. " +
			"Every rule's applyServerSideEncryptionByDefault must use aws:kms or aws:kms:dsse with " +
			"kmsMasterKeyId set. Buckets that AWS services can only write with SSE-S3 (ALB access " +
			"logs) are listed by name in sseS3AllowedBuckets.",
		Severity:    policy.SeverityHigh,
		Enforcement: policy.Mandatory,
		Controls:    []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{
			awstypes.S3BucketSSEConfigurationV2, awstypes.S3BucketSSEConfiguration,
		},
		Remediation: `Set rules: [{applyServerSideEncryptionByDefault: {sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key ARN>}, bucketKeyEnabled: true}].`,
		References:  []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html", "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"},
		Engine:      policy.EngineGo,
		Params: []policy.Param{{
			Name: SSES3BucketsParam, Type: policy.ParamStrings, Default: []string{},
			Description: "Bucket names allowed to use SSE-S3 (AES256), e.g. the ALB access log bucket.",
		}},
	},
	Resource: bucketSSEKMS,
}

func bucketSSEKMS(env policy.Env, r policy.Resource) policy.Result {
	bucket, _, bucketRes := check.String(r.Properties, "bucket")
	rules, present, res := check.Objects(r.Properties, "rules")
	if res != nil {
		return *res
	}
	if !present || len(rules) == 0 {
		return policy.Failed("rules is empty: no default encryption is configured")
	}
	results := []policy.Result{policy.Passed()}
	for i, rule := range rules {
		prefix := fmt.Sprintf("rules[%d].", i)
		base := prefix + "applyServerSideEncryptionByDefault"
		algo, present, res := check.String(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
		if res != nil {
			results = append(results, *check.Within(prefix, res))
			continue
		}
		switch {
		case !present:
			results = append(results, policy.Failed("%s.sseAlgorithm is not set", base))
			continue
		case algo == "AES256" && bucketRes != nil && bucketMayBeExempt(env):
			results = append(results, *bucketRes)
			continue
		case algo == "AES256" && bucket != "" && slices.Contains(env.Strings(SSES3BucketsParam), bucket):
			continue
		case algo != "aws:kms" && algo != "aws:kms:dsse":
			results = append(results, policy.Failed("%s.sseAlgorithm is %s, not aws:kms", base, check.Show(rule, "applyServerSideEncryptionByDefault.sseAlgorithm", algo)))
			continue
		}
		customer, res := check.CustomerKey(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId")
		switch {
		case res != nil:
			results = append(results, *check.Within(prefix, res))
		case !customer:
			results = append(results, policy.Failed("%s.kmsMasterKeyId is not a customer-managed key: objects are encrypted with the AWS-managed aws/s3 key", base))
		}
	}
	return policy.Merge(results...)
}

// bucketMayBeExempt reports whether an unknown bucket name matters: only when some bucket is
// allowed SSE-S3.
func bucketMayBeExempt(env policy.Env) bool { return len(env.Strings(SSES3BucketsParam)) > 0 }
