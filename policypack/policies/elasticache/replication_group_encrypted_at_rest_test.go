package elasticache_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/elasticache"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestReplicationGroupEncryptedAtRest(t *testing.T) {
	pt.Run(t, elasticache.ReplicationGroupEncryptedAtRest, "elasticache-replication-group-encrypted-at-rest", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, awstypes.ElastiCacheReplicationGroup, goodGroup(), []pt.Case{
		{Name: "off", Set: map[string]any{"atRestEncryptionEnabled": false}, Want: policy.Fail, Msg: "atRestEncryptionEnabled is not true (engine redis)"},
		{Name: "missing on redis", Set: map[string]any{"atRestEncryptionEnabled": pt.Missing}, Want: policy.Fail, Msg: "atRestEncryptionEnabled"},
		{Name: "missing on valkey defaults on", Set: map[string]any{"atRestEncryptionEnabled": pt.Missing, "engine": "valkey"}, Want: policy.Pass},
		{Name: "missing engine is redis", Set: map[string]any{"atRestEncryptionEnabled": pt.Missing, "engine": pt.Missing}, Want: policy.Fail, Msg: "engine redis"},
		{Name: "string true", Set: map[string]any{"atRestEncryptionEnabled": "true"}, Want: policy.Pass},
		{Name: "string false", Set: map[string]any{"atRestEncryptionEnabled": "false"}, Want: policy.Fail, Msg: "atRestEncryptionEnabled"},
		{Name: "unknown", Set: map[string]any{"atRestEncryptionEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "atRestEncryptionEnabled cannot be verified until the value is known"},
		{Name: "secret", Set: map[string]any{"atRestEncryptionEnabled": pt.Secret(true)}, Want: policy.Pass},
		{Name: "number", Set: map[string]any{"atRestEncryptionEnabled": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "atRestEncryptionEnabled is of type number"},
	})
}
