package kms_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/kms"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestDataStoreKeyRotationEnabled(t *testing.T) {
	keyARN := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	good := []pt.Res{
		{Type: awstypes.KMSKey, Name: "db-key", Props: map[string]any{"enableKeyRotation": true, "arn": keyARN, "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{Type: awstypes.KMSKey, Name: "stream-key", Props: map[string]any{"enableKeyRotation": true, "rotationPeriodInDays": 180}},
		{Type: awstypes.KMSAlias, Name: "logs-alias", Props: map[string]any{"name": "alias/hipaa-logs", "targetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"}},
		{Type: awstypes.RDSCluster, Name: "aurora", Props: map[string]any{"storageEncrypted": true, "kmsKeyId": keyARN}},
		{Type: awstypes.RDSInstance, Name: "reports-db", Props: map[string]any{"storageEncrypted": true, "kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"db-key"}}},
		{Type: awstypes.KinesisStream, Name: "vitals", Props: map[string]any{"encryptionType": "KMS", "kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"stream-key"}}},
		{Type: awstypes.CloudWatchLogGroup, Name: "app-logs", Props: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/hipaa-logs"}},
		{Type: awstypes.SNSTopic, Name: "alarms", Props: map[string]any{"kmsMasterKeyId": "alias/aws/sns"}},
		{Type: awstypes.S3BucketSSEConfigurationV2, Name: "trail-bucket-sse", Props: map[string]any{"rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": keyARN}}}}},
	}
	pt.RunStack(t, kms.DataStoreKeyRotationEnabled, "kms-data-store-key-rotation-enabled", []string{"164.312(a)(2)(iv)"}, good, []pt.StackCase{
		{Name: "cluster key rotation off", Target: "db-key", Set: map[string]any{"enableKeyRotation": false}, Check: "aurora", Want: policy.Fail, Msg: "kmsKeyId names KMS key db-key: enableKeyRotation is not true"},
		{Name: "standalone DB instance key rotation off", Target: "db-key", Set: map[string]any{"enableKeyRotation": false}, Check: "reports-db", Want: policy.Fail, Msg: "kmsKeyId names KMS key db-key: enableKeyRotation is not true"},
		{Name: "cluster key rotation missing", Target: "db-key", Set: map[string]any{"enableKeyRotation": pt.Missing}, Check: "aurora", Want: policy.Fail, Msg: "enableKeyRotation"},
		{Name: "s3 bucket key rotation off", Target: "db-key", Set: map[string]any{"enableKeyRotation": false}, Check: "trail-bucket-sse", Want: policy.Fail, Msg: "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId names KMS key db-key"},
		{Name: "key via alias rotation off", Target: "db-key", Set: map[string]any{"enableKeyRotation": pt.Wrong("false")}, Check: "app-logs", Want: policy.Fail, Msg: "kmsKeyId names KMS key db-key"},
		{Name: "key rotation unknown", Target: "db-key", Set: map[string]any{"enableKeyRotation": pt.Unknown}, Check: "aurora", Want: policy.Undetermined, Msg: "enableKeyRotation cannot be verified"},
		{Name: "stream key found through dependency, rotation too slow", Target: "stream-key", Set: map[string]any{"rotationPeriodInDays": 500}, Check: "vitals", Want: policy.Fail, Msg: "rotationPeriodInDays is 500"},
		{Name: "unknown key without dependency", Target: "aurora", Set: map[string]any{"kmsKeyId": pt.Unknown}, Want: policy.Undetermined, Msg: "kmsKeyId cannot be verified until the value is known"},
		{Name: "key outside the stack", Target: "aurora", Set: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/other"}, Want: policy.Undetermined, Msg: "not defined in this stack"},
		{Name: "secret key reference resolves", Target: "aurora", Set: map[string]any{"kmsKeyId": pt.Secret(keyARN)}, Want: policy.Pass},
		{Name: "key reference of wrong type", Target: "aurora", Set: map[string]any{"kmsKeyId": pt.Wrong(42)}, Want: policy.Undetermined, Msg: "kmsKeyId is of type number"},
		{Name: "performance insights key is followed too", Target: "aurora", Set: map[string]any{"performanceInsightsKmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/outside"}, Want: policy.Undetermined, Msg: "performanceInsightsKmsKeyId names a KMS key that is not defined in this stack"},
		{Name: "imported key material cannot rotate", Target: "aurora", Set: map[string]any{"kmsKeyId": "ext-key-id"},
			Add: []pt.Res{{Type: awstypes.KMSExternalKey, Name: "ext", Props: map[string]any{"keyId": "ext-key-id"}}}, Want: policy.Fail, Msg: "cannot rotate automatically"},
		{Name: "no key on the cluster", Target: "aurora", Set: map[string]any{"kmsKeyId": pt.Missing}, Check: "vitals", Want: policy.Pass},
	})
}
