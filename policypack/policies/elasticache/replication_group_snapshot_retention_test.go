package elasticache_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/elasticache"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestReplicationGroupSnapshotRetention(t *testing.T) {
	pt.Run(t, elasticache.ReplicationGroupSnapshotRetention, "elasticache-replication-group-snapshot-retention", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"}, awstypes.ElastiCacheReplicationGroup, goodGroup(), []pt.Case{
		{Name: "short", Set: map[string]any{"snapshotRetentionLimit": 3}, Want: policy.Fail, Msg: "snapshotRetentionLimit is 3 day(s)"},
		{Name: "missing is off", Set: map[string]any{"snapshotRetentionLimit": pt.Missing}, Want: policy.Fail, Msg: "snapshotRetentionLimit is 0 day(s)"},
		{Name: "unknown", Set: map[string]any{"snapshotRetentionLimit": pt.Unknown}, Want: policy.Undetermined, Msg: "snapshotRetentionLimit cannot be verified"},
		{Name: "string", Set: map[string]any{"snapshotRetentionLimit": pt.Wrong("10")}, Want: policy.Pass},
		{Name: "bool", Set: map[string]any{"snapshotRetentionLimit": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "snapshotRetentionLimit is of type bool"},
		{Name: "secret", Set: map[string]any{"snapshotRetentionLimit": pt.Secret(1)}, Want: policy.Fail, Msg: "snapshotRetentionLimit"},
		{Name: "param", Set: map[string]any{"snapshotRetentionLimit": 10}, Params: map[string]any{elasticache.MinSnapshotRetentionParam: 15}, Want: policy.Fail, Msg: "below the required 15"},
	})
}
