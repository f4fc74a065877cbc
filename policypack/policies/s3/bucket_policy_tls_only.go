package s3

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/iamdoc"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// BucketPolicyTLSOnly: the bucket policy denies every request not made over TLS.
var BucketPolicyTLSOnly = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "s3-bucket-policy-tls-only",
		Title: "S3 bucket policies deny requests that do not use TLS",
		Description: "S3 accepts plain HTTP unless the bucket policy denies it. The policy must " +
			"contain a Deny statement for all principals and all S3 actions (s3:* or *) with the " +
			"condition Bool aws:SecureTransport = false, whose Resource covers the policy's bucket " +
			"and its objects (the bucket ARN and <bucket ARN>/*, or \"*\"). While the bucket name is " +
			"unknown (preview) only Resource \"*\" can be confirmed; a statement naming specific " +
			"ARNs is undetermined until the name is known.",
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
	var denies []iamdoc.Statement
	for _, st := range stmts {
		if deniesInsecureTransport(st) {
			denies = append(denies, st)
		}
	}
	if len(denies) == 0 {
		return policy.Failed("policy has no Deny statement for all principals and s3:* with Bool aws:SecureTransport = false")
	}
	if slices.ContainsFunc(denies, func(st iamdoc.Statement) bool { return st.HasResource("*") }) {
		return policy.Passed()
	}
	bucket, known, res := bucketName(r)
	if res != nil {
		return *res
	}
	if !known {
		return policy.UndeterminedBecause("bucket is not known until apply: the Deny statement for insecure transport names specific resources and cannot yet be matched to this bucket")
	}
	if slices.ContainsFunc(denies, func(st iamdoc.Statement) bool { return coversBucket(st.Resource, bucket) }) {
		return policy.Passed()
	}
	return policy.Failed("policy's Deny statement for insecure transport does not cover this bucket: its Resource must include the bucket ARN and <bucket ARN>/* (or \"*\")")
}

// bucketName reads the bucket the policy protects: the bucket policy's bucket (a name, or
// tolerated as an ARN), or the name of a bucket carrying an inline policy. known is false while
// it is unknown (preview, or a bucket auto-named at creation).
func bucketName(r policy.Resource) (name string, known bool, res *policy.Result) {
	m := r.Properties
	_, st := props.Get(m, "bucket")
	if st == props.Unknown || (st == props.Missing && r.Type != awstypes.S3BucketPolicy) {
		return "", false, nil
	}
	name, present, res := check.String(m, "bucket")
	if res != nil {
		return "", false, res
	}
	if !present || name == "" {
		r := policy.UndeterminedBecause("bucket is not set: the Deny statement for insecure transport cannot be matched to a bucket")
		return "", false, &r
	}
	if i := strings.Index(name, ":::"); strings.HasPrefix(name, "arn:") && i >= 0 {
		name = name[i+3:]
	}
	return name, true, nil
}

// coversBucket reports whether the resource patterns cover both the bucket and all its objects.
func coversBucket(patterns []string, bucket string) bool {
	var bucketOK, objectsOK bool
	for _, p := range patterns {
		re, err := globRegexp(strings.TrimSpace(p))
		if err != nil {
			continue
		}
		for _, partition := range []string{"aws", "aws-us-gov", "aws-cn"} {
			arn := "arn:" + partition + ":s3:::" + bucket
			bucketOK = bucketOK || re.MatchString(arn)
			// A pattern covers every object key only if it matches the literal key "*" with
			// its own wildcard ("?" is one character and is not allowed to match it).
			objectsOK = objectsOK || re.MatchString(arn+"/*")
		}
	}
	return bucketOK && objectsOK
}

// globRegexp turns an IAM resource pattern ("*" any run of characters, "?" one character) into
// an anchored regular expression. "?" never matches a literal "*", so that a pattern only counts
// as covering all objects when it ends in a "*" wildcard.
func globRegexp(pattern string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for _, c := range pattern {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(`[^*]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("resource pattern is not a valid wildcard: %w", err)
	}
	return re, nil
}

func deniesInsecureTransport(s iamdoc.Statement) bool {
	if !s.Denies() || !s.AnyPrincipal() || !s.HasAction("s3:*", "*") {
		return false
	}
	return slices.ContainsFunc(s.ConditionValues("Bool", "aws:SecureTransport"), func(v string) bool {
		return strings.EqualFold(v, "false")
	})
}
