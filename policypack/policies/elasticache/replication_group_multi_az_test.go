package elasticache_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/elasticache"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestReplicationGroupMultiAZ(t *testing.T) {
	pt.Run(t, elasticache.ReplicationGroupMultiAZ, "elasticache-replication-group-multi-az", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.ElastiCacheReplicationGroup, goodGroup(), []pt.Case{
		{Name: "multi-az off", Set: map[string]any{"multiAzEnabled": false}, Want: policy.Fail, Msg: "multiAzEnabled is not true"},
		{Name: "failover missing", Set: map[string]any{"automaticFailoverEnabled": pt.Missing}, Want: policy.Fail, Msg: "automaticFailoverEnabled is not true"},
		{Name: "one node", Set: map[string]any{"numCacheClusters": 1}, Want: policy.Fail, Msg: "numCacheClusters is 1"},
		{Name: "node count missing is one", Set: map[string]any{"numCacheClusters": pt.Missing}, Want: policy.Fail, Msg: "numCacheClusters is not set (default 1)"},
		{Name: "cluster mode with replicas", Set: map[string]any{"numCacheClusters": pt.Missing, "numNodeGroups": 2, "replicasPerNodeGroup": 1}, Want: policy.Pass},
		{Name: "cluster mode without replicas", Set: map[string]any{"numCacheClusters": pt.Missing, "numNodeGroups": 3}, Want: policy.Fail, Msg: "replicasPerNodeGroup is 0"},
		{Name: "unknown multi-az", Set: map[string]any{"multiAzEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "multiAzEnabled cannot be verified"},
		{Name: "unknown multi-az but one node fails", Set: map[string]any{"multiAzEnabled": pt.Unknown, "numCacheClusters": 1}, Want: policy.Fail, Msg: "numCacheClusters is 1"},
		{Name: "string flags", Set: map[string]any{"multiAzEnabled": pt.Wrong("true"), "automaticFailoverEnabled": "true"}, Want: policy.Pass},
		{Name: "node count string", Set: map[string]any{"numCacheClusters": pt.Wrong("two")}, Want: policy.Undetermined, Msg: "numCacheClusters is of type string"},
		{Name: "secret node count", Set: map[string]any{"numCacheClusters": pt.Secret(3)}, Want: policy.Pass},
	})
}
