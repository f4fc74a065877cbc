package s3_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/s3"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

const legacyTLSOnly = `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::hipaa-legacy-prod","arn:aws:s3:::hipaa-legacy-prod/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

func TestBucketTLSPolicyAttached(t *testing.T) {
	good := []pt.Res{
		{Type: awstypes.S3BucketV2, Name: "trail", Props: map[string]any{"bucket": "hipaa-trail-prod"}},
		{Type: awstypes.S3BucketV2, Name: "flow", Props: map[string]any{"bucketPrefix": "flow-"}},
		{Type: awstypes.S3Bucket, Name: "legacy", Props: map[string]any{"bucket": "hipaa-legacy-prod", "policy": legacyTLSOnly}},
		{Type: awstypes.S3BucketPolicy, Name: "trail-policy", Props: map[string]any{"bucket": "hipaa-trail-prod", "policy": tlsOnly}},
		{Type: awstypes.S3BucketPolicy, Name: "flow-policy", Props: map[string]any{"bucket": pt.Unknown, "policy": pt.Unknown}, Deps: map[string][]string{"bucket": {"flow"}}},
	}
	pt.RunStack(t, s3.BucketTLSPolicyAttached, "s3-bucket-tls-policy-attached", []string{"164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"}, good, []pt.StackCase{
		{Name: "no bucket policy", Remove: []string{"trail-policy"}, Check: "trail", Want: policy.Fail, Msg: "no aws:s3/bucketPolicy has this bucket as bucket"},
		{Name: "policy of another bucket", Target: "trail-policy", Set: map[string]any{"bucket": "other"}, Check: "trail", Want: policy.Fail, Msg: "policy is not set"},
		{Name: "reference unknown", Target: "trail-policy", Set: map[string]any{"bucket": pt.Unknown}, Check: "trail", Want: policy.Undetermined, Msg: "bucket of bucket policy trail-policy cannot be verified until the value is known"},
		{Name: "inline policy without TLS deny", Target: "legacy", Set: map[string]any{"policy": `{"Statement":[]}`}, Want: policy.Fail, Msg: "policy has no Deny statement"},
		{Name: "inline policy missing", Target: "legacy", Set: map[string]any{"policy": pt.Missing}, Want: policy.Fail, Msg: "no aws:s3/bucketPolicy"},
		{Name: "inline policy unknown", Target: "legacy", Set: map[string]any{"policy": pt.Unknown}, Want: policy.Undetermined, Msg: "policy cannot be verified until the value is known"},
		{Name: "inline policy of another bucket", Target: "legacy", Set: map[string]any{"bucket": "hipaa-other-prod"}, Want: policy.Fail, Msg: "does not cover this bucket"},
		{Name: "inline policy auto-named bucket", Target: "legacy", Set: map[string]any{"bucket": pt.Missing}, Want: policy.Undetermined, Msg: "bucket is not known until apply"},
		{Name: "inline policy secret", Target: "legacy", Set: map[string]any{"policy": pt.Secret(legacyTLSOnly)}, Want: policy.Pass},
		{Name: "inline policy wrong type", Target: "legacy", Set: map[string]any{"policy": pt.Wrong(12)}, Want: policy.Undetermined, Msg: "policy is of type number"},
	})
}
