package s3

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// BucketDefaultEncryptionAttached: every bucket of the stack has a default-encryption
// configuration (stack-level; its content is judged by s3-bucket-sse-kms).
var BucketDefaultEncryptionAttached = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "s3-bucket-default-encryption-attached",
		Title: "Every S3 bucket has a default-encryption configuration with SSE-KMS",
		Description: "s3-bucket-sse-kms judges encryption configurations that exist; this stack-level " +
			"check makes sure none is missing: each aws:s3/bucket or aws:s3/bucketV2 needs an " +
			"aws:s3/bucketServerSideEncryptionConfigurationV2 (or its v7 name) whose bucket names it " +
			"(property dependency, name or ID), or an inline serverSideEncryptionConfiguration " +
			"using aws:kms with a customer key, which is judged here.",
		Severity:    policy.SeverityHigh,
		Enforcement: policy.Mandatory,
		Controls:    []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{
			awstypes.S3Bucket, awstypes.S3BucketV2, awstypes.S3BucketSSEConfigurationV2, awstypes.S3BucketSSEConfiguration,
		},
		Remediation: "Add an aws.s3.BucketServerSideEncryptionConfigurationV2 {bucket: bucket.id, rules: [{applyServerSideEncryptionByDefault: {sseAlgorithm: \"aws:kms\", kmsMasterKeyId: key.arn}}]} for the bucket.",
		References:  []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html"},
		Engine:      policy.EngineGo,
	},
	Stack: bucketDefaultEncryptionAttached,
}

func bucketDefaultEncryptionAttached(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	configs := s.OfType(awstypes.S3BucketSSEConfigurationV2, awstypes.S3BucketSSEConfiguration)
	return stackref.Judge(s.OfType(awstypes.S3Bucket, awstypes.S3BucketV2), func(b policy.Resource) policy.Result {
		return encryptionOf(s, b, configs)
	})
}

func encryptionOf(s *stackref.Stack, b policy.Resource, configs []policy.Resource) policy.Result {
	if found, _ := s.ReferredBy(b, configs, "bucket"); len(found) > 0 {
		return policy.Passed()
	}
	const inline = "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault"
	algo, present, res := check.String(b.Properties, inline+".sseAlgorithm")
	if res != nil {
		return *res
	}
	if present {
		if algo != "aws:kms" && algo != "aws:kms:dsse" {
			return policy.Failed("%s.sseAlgorithm is %s, not aws:kms", inline, check.Show(b.Properties, inline+".sseAlgorithm", algo))
		}
		customer, res := check.CustomerKey(b.Properties, inline+".kmsMasterKeyId")
		if res != nil {
			return *res
		}
		if !customer {
			return policy.Failed("%s.kmsMasterKeyId is not a customer-managed key", inline)
		}
		return policy.Passed()
	}
	if _, unresolved := s.ReferredBy(b, configs, "bucket"); len(unresolved) > 0 {
		return policy.UndeterminedBecause("bucket of encryption configuration %s cannot be verified until the value is known", unresolved[0].Name)
	}
	return policy.Failed("no aws:s3/bucketServerSideEncryptionConfigurationV2 has this bucket as bucket, and serverSideEncryptionConfiguration is not set: objects get only the SSE-S3 default")
}
