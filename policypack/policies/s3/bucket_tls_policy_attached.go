package s3

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// BucketTLSPolicyAttached: every bucket of the stack has a bucket policy (stack-level; its
// content is judged by s3-bucket-policy-tls-only).
var BucketTLSPolicyAttached = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "s3-bucket-tls-policy-attached",
		Title: "Every S3 bucket has a bucket policy that denies requests without TLS",
		Description: "s3-bucket-policy-tls-only judges bucket policies that exist; this stack-level " +
			"check makes sure none is missing: each aws:s3/bucket or aws:s3/bucketV2 needs an " +
			"aws:s3/bucketPolicy whose bucket names it (property dependency, name or ID), or an " +
			"inline policy, which is judged here.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.S3Bucket, awstypes.S3BucketV2, awstypes.S3BucketPolicy},
		Remediation:   "Add an aws.s3.BucketPolicy {bucket: bucket.id, policy: <document with a Deny on aws:SecureTransport = false>} for the bucket.",
		References:    []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit"},
		Engine:        policy.EngineGo,
	},
	Stack: bucketTLSPolicyAttached,
}

func bucketTLSPolicyAttached(env policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	policies := s.OfType(awstypes.S3BucketPolicy)
	var out []policy.StackResult
	for _, b := range s.OfType(awstypes.S3Bucket, awstypes.S3BucketV2) {
		found, unresolved := s.ReferredBy(b, policies, "bucket")
		var res policy.Result
		switch {
		case len(found) > 0:
			res = policy.Passed()
		default:
			if set, r := check.Set(b.Properties, "policy"); r != nil || set {
				res = bucketPolicyTLSOnly(env, b) // an inline policy
				break
			}
			if len(unresolved) > 0 {
				res = policy.UndeterminedBecause("bucket of bucket policy %s cannot be verified until the value is known", unresolved[0].Name)
				break
			}
			res = policy.Failed("no aws:s3/bucketPolicy has this bucket as bucket and policy is not set: requests without TLS are accepted")
		}
		out = append(out, policy.StackResult{URN: b.URN, Result: res})
	}
	return out
}
