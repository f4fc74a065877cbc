package ecr_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecr"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestRepositoryEncryptedWithKMS(t *testing.T) {
	pt.Run(t, ecr.RepositoryEncryptedWithKMS, "ecr-repository-encrypted-with-kms", []string{"164.312(a)(2)(iv)"}, awstypes.ECRRepository, goodRepository(), []pt.Case{
		{Name: "no configuration is AES256", Set: map[string]any{"encryptionConfigurations": pt.Missing}, Want: policy.Fail,
			Msg: "encryptionConfigurations is not set: images are encrypted with S3-managed keys (AES256)"},
		{Name: "empty list", Set: map[string]any{"encryptionConfigurations": []any{}}, Want: policy.Fail, Msg: "encryptionConfigurations is not set"},
		{Name: "AES256", Set: map[string]any{"encryptionConfigurations[0].encryptionType": "AES256"}, Want: policy.Fail,
			Msg: "encryptionConfigurations[0].encryptionType is AES256: images are not encrypted with a KMS key"},
		{Name: "type missing defaults to AES256", Set: map[string]any{"encryptionConfigurations[0].encryptionType": pt.Missing}, Want: policy.Fail,
			Msg: "encryptionConfigurations[0].encryptionType is AES256"},
		{Name: "AWS-managed key", Set: map[string]any{"encryptionConfigurations[0].kmsKey": pt.Missing}, Want: policy.Fail,
			Msg: "encryptionConfigurations[0].kmsKey is not a customer-managed key: images are encrypted with the AWS-managed aws/ecr key"},
		{Name: "AWS-managed alias", Set: map[string]any{"encryptionConfigurations[0].kmsKey": "alias/aws/ecr"}, Want: policy.Fail, Msg: "not a customer-managed key"},
		{Name: "dual-layer KMS", Set: map[string]any{"encryptionConfigurations[0].encryptionType": "KMS_DSSE"}, Want: policy.Pass},
		{Name: "single object instead of a list", Set: map[string]any{"encryptionConfigurations": pt.Wrong(map[string]any{"encryptionType": "KMS", "kmsKey": keyARN})}, Want: policy.Pass},
		{Name: "key unknown at preview is the program's key", Set: map[string]any{"encryptionConfigurations[0].kmsKey": pt.Unknown}, Want: policy.Pass},
		{Name: "type unknown", Set: map[string]any{"encryptionConfigurations[0].encryptionType": pt.Unknown}, Want: policy.Undetermined,
			Msg: "encryptionConfigurations[0].encryptionType cannot be verified until the value is known"},
		{Name: "configurations unknown", Set: map[string]any{"encryptionConfigurations": pt.Unknown}, Want: policy.Undetermined,
			Msg: "encryptionConfigurations cannot be verified until the value is known"},
		{Name: "secret key", Set: map[string]any{"encryptionConfigurations[0].kmsKey": pt.Secret("canary-" + keyARN)}, Want: policy.Pass},
		{Name: "secret AES256 is not shown", Set: map[string]any{"encryptionConfigurations[0].encryptionType": pt.Secret("AES256")}, Want: policy.Fail,
			Msg: "encryptionConfigurations[0].encryptionType is [secret]"},
		{Name: "type is a number", Set: map[string]any{"encryptionConfigurations[0].encryptionType": pt.Wrong(1)}, Want: policy.Undetermined,
			Msg: "encryptionConfigurations[0].encryptionType is of type number"},
		{Name: "key is a number", Set: map[string]any{"encryptionConfigurations[0].kmsKey": pt.Wrong(7)}, Want: policy.Undetermined,
			Msg: "encryptionConfigurations[0].kmsKey is of type number"},
		{Name: "configurations is a string", Set: map[string]any{"encryptionConfigurations": pt.Wrong("KMS")}, Want: policy.Undetermined,
			Msg: "encryptionConfigurations is of type string"},
	})
}
