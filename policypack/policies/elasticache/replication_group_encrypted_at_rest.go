package elasticache

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ReplicationGroupEncryptedAtRest: cached ePHI is encrypted at rest.
var ReplicationGroupEncryptedAtRest = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "elasticache-replication-group-encrypted-at-rest",
		Title: "ElastiCache replication groups are encrypted at rest",
		Description: "The cache holds recent patient vitals, and its snapshots and swap reach disk. " +
			"atRestEncryptionEnabled (a bool, or a string in some provider versions) defaults to " +
			"false for the redis engine (the default engine) and true for valkey. No HIPAA rule set " +
			"anchors this check; it cites the encryption-at-rest controls as Aurora does.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.ElastiCacheReplicationGroup},
		Remediation:   "Set atRestEncryptionEnabled: true (and kmsKeyId to a customer-managed key); at-rest encryption can only be set when the group is created.",
		References:    []string{"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html", refPulumi},
		Engine:        policy.EngineGo,
	},
	Resource: replicationGroupEncryptedAtRest,
}

// atRestDefault is the provider default of atRestEncryptionEnabled for the group's engine.
func atRestDefault(r policy.Resource) (bool, string, *policy.Result) {
	engine, present, res := check.String(r.Properties, "engine")
	if res != nil {
		return false, "", res
	}
	if !present {
		engine = "redis"
	}
	return engine == "valkey", engine, nil
}

func replicationGroupEncryptedAtRest(_ policy.Env, r policy.Resource) policy.Result {
	def, engine, res := atRestDefault(r)
	if res != nil {
		return *res
	}
	on, res := check.Bool(r.Properties, "atRestEncryptionEnabled", def)
	if res != nil {
		return *res
	}
	if !on {
		return policy.Failed("atRestEncryptionEnabled is not true (engine %s): cached data and snapshots are not encrypted at rest", check.Show(r.Properties, "engine", engine))
	}
	return policy.Passed()
}
