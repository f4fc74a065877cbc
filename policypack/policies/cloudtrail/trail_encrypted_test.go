package cloudtrail_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/cloudtrail"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTrailEncrypted(t *testing.T) {
	pt.Run(t, cloudtrail.TrailEncrypted, "cloudtrail-trail-encrypted", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, awstypes.CloudTrailTrail, goodTrail(), []pt.Case{
		{Name: "no key", Set: map[string]any{"kmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "kmsKeyId is not set"},
		{Name: "empty key", Set: map[string]any{"kmsKeyId": ""}, Want: policy.Fail, Msg: "kmsKeyId"},
		{Name: "computed (unknown) key is set", Set: map[string]any{"kmsKeyId": pt.Unknown}, Want: policy.Pass},
		{Name: "AWS-managed alias", Set: map[string]any{"kmsKeyId": "alias/aws/cloudtrail"}, Want: policy.Fail, Msg: "kmsKeyId is not set to a customer-managed key"},
		{Name: "secret", Set: map[string]any{"kmsKeyId": pt.Secret("arn:aws:kms:us-east-1:111122223333:key/secret-key-id")}, Want: policy.Pass},
		{Name: "wrong type", Set: map[string]any{"kmsKeyId": pt.Wrong(map[string]any{"arn": "x"})}, Want: policy.Undetermined, Msg: "kmsKeyId is of type object"},
	})
}
