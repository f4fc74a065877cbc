package s3

import (
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/iamdoc"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// BucketPolicyTLSOnly: the bucket policy denies every request not made over TLS.
var BucketPolicyTLSOnly = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "s3-bucket-policy-tls-only",
		Title: "S3 bucket policies deny requests that do not use TLS",
		Description: "S3 accepts plain HTTP unless the bucket policy denies it. The policy must " +
			"contain a Deny statement for all principals and all S3 actions (s3:* or *) with the " +
			"condition Bool aws:SecureTransport = false.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.S3BucketPolicy},
		Remediation:   `Add {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":[<bucket ARN>,<bucket ARN>/*],"Condition":{"Bool":{"aws:SecureTransport":"false"}}} to the aws.s3.BucketPolicy.`,
		References:    []string{"https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit"},
		Engine:        policy.EngineGo,
	},
	Resource: bucketPolicyTLSOnly,
}

func bucketPolicyTLSOnly(_ policy.Env, r policy.Resource) policy.Result {
	doc, present, res := check.JSON(r.Properties, "policy")
	if res != nil {
		return *res
	}
	if !present {
		return policy.Failed("policy is empty: nothing denies requests without TLS")
	}
	stmts, err := iamdoc.Statements(doc)
	if err != nil {
		return policy.UndeterminedBecause("policy cannot be interpreted: %v", err)
	}
	if slices.ContainsFunc(stmts, deniesInsecureTransport) {
		return policy.Passed()
	}
	return policy.Failed("policy has no Deny statement for all principals and s3:* with Bool aws:SecureTransport = false")
}

func deniesInsecureTransport(s iamdoc.Statement) bool {
	if !s.Denies() || !s.AnyPrincipal() || !s.HasAction("s3:*", "*") {
		return false
	}
	return slices.ContainsFunc(s.ConditionValues("Bool", "aws:SecureTransport"), func(v string) bool {
		return strings.EqualFold(v, "false")
	})
}
