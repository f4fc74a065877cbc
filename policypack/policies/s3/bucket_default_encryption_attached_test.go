package s3_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/s3"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func bucketsWithConfigs() []pt.Res {
	sse := func(bucket any) map[string]any {
		return map[string]any{"bucket": bucket, "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "arn:aws:kms:us-east-1:111122223333:key/k"}}}}
	}
	return []pt.Res{
		{Type: awstypes.S3BucketV2, Name: "trail", Props: map[string]any{"bucket": "hipaa-trail-prod"}},
		{Type: awstypes.S3BucketV2, Name: "flow", Props: map[string]any{"bucketPrefix": "flow-"}},
		{Type: awstypes.S3Bucket, Name: "legacy", Props: map[string]any{"serverSideEncryptionConfiguration": map[string]any{"rule": map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": pt.Unknown}}}}},
		{Type: awstypes.S3BucketSSEConfigurationV2, Name: "trail-sse", Props: sse("hipaa-trail-prod")},
		{Type: awstypes.S3BucketSSEConfiguration, Name: "flow-sse", Props: sse(pt.Unknown), Deps: map[string][]string{"bucket": {"flow"}}},
	}
}

func TestBucketDefaultEncryptionAttached(t *testing.T) {
	pt.RunStack(t, s3.BucketDefaultEncryptionAttached, "s3-bucket-default-encryption-attached", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, bucketsWithConfigs(), []pt.StackCase{
		{Name: "no configuration", Remove: []string{"trail-sse"}, Check: "trail", Want: policy.Fail, Msg: "no aws:s3/bucketServerSideEncryptionConfigurationV2 has this bucket as bucket"},
		{Name: "configuration of another bucket", Target: "trail-sse", Set: map[string]any{"bucket": "other"}, Check: "trail", Want: policy.Fail, Msg: "serverSideEncryptionConfiguration is not set"},
		{Name: "configuration reference unknown", Target: "trail-sse", Set: map[string]any{"bucket": pt.Unknown}, Check: "trail", Want: policy.Undetermined, Msg: "bucket of encryption configuration trail-sse cannot be verified until the value is known"},
		{Name: "inline AES256", Target: "legacy", Set: map[string]any{"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256"}, Want: policy.Fail, Msg: "sseAlgorithm is AES256, not aws:kms"},
		{Name: "inline without key", Target: "legacy", Set: map[string]any{"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.kmsMasterKeyId": pt.Missing}, Want: policy.Fail, Msg: "kmsMasterKeyId is not a customer-managed key"},
		{Name: "inline secret algorithm", Target: "legacy", Set: map[string]any{"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm": pt.Secret("aws:kms")}, Want: policy.Pass},
		{Name: "inline algorithm wrong type", Target: "legacy", Set: map[string]any{"serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "sseAlgorithm is of type number"},
	})
}
