package elasticache

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MinSnapshotRetentionParam is the smallest allowed snapshot retention, in days.
const MinSnapshotRetentionParam = "minSnapshotRetentionDays"

// ReplicationGroupSnapshotRetention: automatic snapshots are kept at least the configured days.
var ReplicationGroupSnapshotRetention = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "elasticache-replication-group-snapshot-retention",
		Title: "ElastiCache automatic snapshots are retained at least the configured number of days",
		Description: "Snapshots let the cache be restored after corruption or deletion. " +
			"snapshotRetentionLimit defaults to 0, which turns automatic backups off.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"},
		ResourceTypes: []string{awstypes.ElastiCacheReplicationGroup},
		Remediation:   "Set snapshotRetentionLimit to at least the configured minimum (default 7) and a snapshotWindow.",
		References:    []string{"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html"},
		Engine:        policy.EngineGo,
		Params: []policy.Param{{
			Name: MinSnapshotRetentionParam, Type: policy.ParamInteger, Default: 7, Minimum: policy.IntPtr(1),
			Description: "Smallest allowed ElastiCache automatic snapshot retention, in days.",
		}},
	},
	Resource: replicationGroupSnapshotRetention,
}

func replicationGroupSnapshotRetention(env policy.Env, r policy.Resource) policy.Result {
	days, _, res := check.Int(r.Properties, "snapshotRetentionLimit")
	if res != nil {
		return *res
	}
	if min := env.Int(MinSnapshotRetentionParam); days < min {
		return policy.Failed("snapshotRetentionLimit is %s day(s) (0, the default, turns backups off), below the required %d", check.Show(r.Properties, "snapshotRetentionLimit", days), min)
	}
	return policy.Passed()
}
