package s3_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/s3"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

const tlsOnly = `{"Version":"2012-10-17","Statement":[
 {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::hipaa-trail-prod/*"},
 {"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::hipaa-trail-prod","arn:aws:s3:::hipaa-trail-prod/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`

func TestBucketPolicyTLSOnly(t *testing.T) {
	good := map[string]any{"bucket": "hipaa-trail-prod", "policy": tlsOnly}
	pt.Run(t, s3.BucketPolicyTLSOnly, "s3-bucket-policy-tls-only", []string{"164.312(a)(2)(iv)", "164.312(c)(2)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"}, awstypes.S3BucketPolicy, good, []pt.Case{
		{Name: "no deny", Set: map[string]any{"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}]}`}, Want: policy.Fail, Msg: "policy has no Deny statement"},
		{Name: "deny with true condition", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}`}, Want: policy.Fail, Msg: "aws:SecureTransport"},
		{Name: "deny for one principal only", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`}, Want: policy.Fail, Msg: "all principals"},
		{Name: "AWS star principal and boolean false", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":{"AWS":["*"]},"Action":["s3:*"],"Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`}, Want: policy.Pass},
		{Name: "policy as object", Set: map[string]any{"policy": pt.Wrong(map[string]any{"Statement": []any{map[string]any{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*", "Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}}}})}, Want: policy.Pass},
		{Name: "deny protects another bucket", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::zzz","arn:aws:s3:::zzz/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`}, Want: policy.Fail, Msg: "does not cover this bucket"},
		{Name: "deny covers the bucket but not its objects", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::hipaa-trail-prod","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`}, Want: policy.Fail, Msg: "does not cover this bucket"},
		{Name: "deny covers one object prefix only", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::hipaa-trail-prod","arn:aws:s3:::hipaa-trail-prod/logs/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`}, Want: policy.Fail, Msg: "does not cover this bucket"},
		{Name: "deny with bucket wildcard", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::hipaa-trail-*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`}, Want: policy.Pass},
		{Name: "bucket given as ARN", Set: map[string]any{"bucket": "arn:aws:s3:::hipaa-trail-prod"}, Want: policy.Pass},
		{Name: "bucket unknown with specific resources", Set: map[string]any{"bucket": pt.Unknown}, Want: policy.Undetermined, Msg: "bucket is not known until apply"},
		{Name: "bucket unknown with star resource", Set: map[string]any{"bucket": pt.Unknown, "policy": `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`}, Want: policy.Pass},
		{Name: "bucket missing", Set: map[string]any{"bucket": pt.Missing}, Want: policy.Undetermined, Msg: "bucket is not set"},
		{Name: "bucket wrong type", Set: map[string]any{"bucket": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "bucket is of type number"},
		{Name: "secret bucket name", Set: map[string]any{"bucket": pt.Secret("hipaa-trail-prod")}, Want: policy.Pass},
		{Name: "missing", Set: map[string]any{"policy": pt.Missing}, Want: policy.Fail, Msg: "policy is empty"},
		{Name: "unknown", Set: map[string]any{"policy": pt.Unknown}, Want: policy.Undetermined, Msg: "policy cannot be verified until the value is known"},
		{Name: "unknown inside the JSON", Set: map[string]any{"policy": `{"Statement":[{"Resource":"04da6b54-80e4-46f7-96ec-b56ff0331ba9"}]}`}, Want: policy.Undetermined, Msg: "policy cannot be verified"},
		{Name: "secret", Set: map[string]any{"policy": pt.Secret(tlsOnly)}, Want: policy.Pass},
		{Name: "not JSON", Set: map[string]any{"policy": "Deny all"}, Want: policy.Undetermined, Msg: "policy is not valid JSON"},
		{Name: "number", Set: map[string]any{"policy": pt.Wrong(3)}, Want: policy.Undetermined, Msg: "policy is of type number"},
		{Name: "bad statement shape", Set: map[string]any{"policy": `{"Statement":"deny"}`}, Want: policy.Undetermined, Msg: "policy cannot be interpreted: field Statement"},
	})
}
