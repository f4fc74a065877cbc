package s3_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/s3"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestBucketSSEKMS(t *testing.T) {
	good := map[string]any{
		"bucket": "hipaa-trail-prod",
		"rules": []any{map[string]any{
			"applyServerSideEncryptionByDefault": map[string]any{
				"sseAlgorithm":   "aws:kms",
				"kmsMasterKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			},
			"bucketKeyEnabled": true,
		}},
	}
	const algo, key = "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm", "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId"
	cases := []pt.Case{
		{Name: "AES256", Set: map[string]any{algo: "AES256"}, Want: policy.Fail, Msg: "sseAlgorithm is AES256, not aws:kms"},
		{Name: "AES256 allowed for the ALB log bucket", Set: map[string]any{algo: "AES256", "bucket": "alb-logs-prod"}, Params: map[string]any{s3.SSES3BucketsParam: []any{"alb-logs-prod"}}, Want: policy.Pass},
		{Name: "AES256 with unknown bucket and an allow list", Set: map[string]any{algo: "AES256", "bucket": pt.Unknown}, Params: map[string]any{s3.SSES3BucketsParam: []any{"alb-logs-prod"}}, Want: policy.Undetermined, Msg: "bucket cannot be verified"},
		{Name: "dsse", Set: map[string]any{algo: "aws:kms:dsse"}, Want: policy.Pass},
		{Name: "no key", Set: map[string]any{key: pt.Missing}, Want: policy.Fail, Msg: "kmsMasterKeyId is not a customer-managed key"},
		{Name: "aws managed key", Set: map[string]any{key: "alias/aws/s3"}, Want: policy.Fail, Msg: "kmsMasterKeyId"},
		{Name: "no rules", Set: map[string]any{"rules": pt.Missing}, Want: policy.Fail, Msg: "rules is empty"},
		{Name: "algorithm missing", Set: map[string]any{algo: pt.Missing}, Want: policy.Fail, Msg: "sseAlgorithm is not set"},
		{Name: "key computed in preview", Set: map[string]any{key: pt.Unknown}, Want: policy.Pass},
		{Name: "algorithm unknown", Set: map[string]any{algo: pt.Unknown}, Want: policy.Undetermined, Msg: "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm cannot be verified until the value is known"},
		{Name: "rules unknown", Set: map[string]any{"rules": pt.Unknown}, Want: policy.Undetermined, Msg: "rules cannot be verified"},
		{Name: "secret key", Set: map[string]any{key: pt.Secret("arn:aws:kms:us-east-1:111122223333:key/hidden-key")}, Want: policy.Pass},
		{Name: "algorithm wrong type", Set: map[string]any{algo: pt.Wrong(256)}, Want: policy.Undetermined, Msg: "sseAlgorithm is of type number"},
		{Name: "single rule object", Set: map[string]any{"rules": pt.Wrong(map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}})}, Want: policy.Fail, Msg: "AES256"},
	}
	id, controls := "s3-bucket-sse-kms", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}
	pt.Run(t, s3.BucketSSEKMS, id, controls, awstypes.S3BucketSSEConfigurationV2, good, cases)
	pt.Run(t, s3.BucketSSEKMS, id, controls, awstypes.S3BucketSSEConfiguration, good, cases)
}
