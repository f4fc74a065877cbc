package elasticache_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/elasticache"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestReplicationGroupCustomerManagedKey(t *testing.T) {
	pt.Run(t, elasticache.ReplicationGroupCustomerManagedKey, "elasticache-replication-group-customer-managed-key", []string{"164.312(a)(2)(iv)"}, awstypes.ElastiCacheReplicationGroup, goodGroup(), []pt.Case{
		{Name: "no key", Set: map[string]any{"kmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "kmsKeyId is not a customer-managed key"},
		{Name: "aws alias", Set: map[string]any{"kmsKeyId": "alias/aws/elasticache"}, Want: policy.Fail, Msg: "kmsKeyId"},
		{Name: "computed (unknown) key is a key of the stack", Set: map[string]any{"kmsKeyId": pt.Unknown}, Want: policy.Pass},
		{Name: "at-rest flag unknown", Set: map[string]any{"atRestEncryptionEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "atRestEncryptionEnabled cannot be verified"},
		{Name: "secret", Set: map[string]any{"kmsKeyId": pt.Secret(keyARN)}, Want: policy.Pass},
		{Name: "wrong type", Set: map[string]any{"kmsKeyId": pt.Wrong(12)}, Want: policy.Undetermined, Msg: "kmsKeyId is of type number"},
		{Name: "not encrypted", Set: map[string]any{"atRestEncryptionEnabled": "false"}, Want: policy.NotApplicable, Msg: "atRestEncryptionEnabled is not true"},
	})
}
