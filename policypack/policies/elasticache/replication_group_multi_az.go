package elasticache

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ReplicationGroupMultiAZ: the cache survives the loss of a node or an Availability Zone.
var ReplicationGroupMultiAZ = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "elasticache-replication-group-multi-az",
		Title: "ElastiCache replication groups are Multi-AZ with automatic failover and at least two nodes",
		Description: "The monitoring pipeline reads current vitals from the cache; a single node or " +
			"zone failure must fail over to a replica in another zone automatically. multiAzEnabled " +
			"and automaticFailoverEnabled default to false; a group has numCacheClusters nodes " +
			"(default 1) or numNodeGroups x (replicasPerNodeGroup + 1) in cluster mode.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.ElastiCacheReplicationGroup},
		Remediation:   "Set multiAzEnabled: true, automaticFailoverEnabled: true and numCacheClusters >= 2 (or replicasPerNodeGroup >= 1).",
		References:    []string{"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html", refPulumi},
		Engine:        policy.EngineGo,
	},
	Resource: replicationGroupMultiAZ,
}

func replicationGroupMultiAZ(_ policy.Env, r policy.Resource) policy.Result {
	var results []policy.Result
	for _, p := range []string{"multiAzEnabled", "automaticFailoverEnabled"} {
		on, res := check.Bool(r.Properties, p, false)
		switch {
		case res != nil:
			results = append(results, *res)
		case !on:
			results = append(results, policy.Failed("%s is not true", p))
		}
	}
	results = append(results, nodeCount(r), policy.Passed())
	return policy.Merge(results...)
}

func nodeCount(r policy.Resource) policy.Result {
	groups, groupsSet, res := check.Int(r.Properties, "numNodeGroups")
	if res != nil {
		return *res
	}
	if groupsSet {
		replicas, _, res := check.Int(r.Properties, "replicasPerNodeGroup")
		if res != nil {
			return *res
		}
		if replicas < 1 {
			return policy.Failed("replicasPerNodeGroup is %s: each of the %s shard(s) has a single node and cannot fail over", check.Show(r.Properties, "replicasPerNodeGroup", replicas), check.Show(r.Properties, "numNodeGroups", groups))
		}
		return policy.Passed()
	}
	n, set, res := check.Int(r.Properties, "numCacheClusters")
	if res != nil {
		return *res
	}
	if !set {
		return policy.Failed("numCacheClusters is not set (default 1): at least two nodes are needed for failover")
	}
	if n < 2 {
		return policy.Failed("numCacheClusters is %s: at least two nodes are needed for failover", check.Show(r.Properties, "numCacheClusters", n))
	}
	return policy.Passed()
}
