package elasticache

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ReplicationGroupCustomerManagedKey: at-rest encryption uses a customer-managed KMS key.
var ReplicationGroupCustomerManagedKey = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "elasticache-replication-group-customer-managed-key",
		Title: "Encrypted ElastiCache replication groups use a customer-managed KMS key",
		Description: "Without kmsKeyId the cache is encrypted with a key AWS owns, which the hospital " +
			"can neither restrict, audit nor revoke. Groups without at-rest encryption are judged by " +
			"elasticache-replication-group-encrypted-at-rest.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.ElastiCacheReplicationGroup},
		Remediation:   "Set kmsKeyId to the ARN of a customer-managed KMS key (requires atRestEncryptionEnabled: true).",
		References:    []string{"https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html#using-customer-managed-keys-for-elasticache-security"},
		Engine:        policy.EngineGo,
	},
	Resource: replicationGroupCustomerManagedKey,
}

func replicationGroupCustomerManagedKey(_ policy.Env, r policy.Resource) policy.Result {
	def, _, res := atRestDefault(r)
	if res != nil {
		return *res
	}
	on, res := check.Bool(r.Properties, "atRestEncryptionEnabled", def)
	if res != nil {
		return *res
	}
	if !on {
		return policy.NotApplicableBecause("atRestEncryptionEnabled is not true; judged by elasticache-replication-group-encrypted-at-rest")
	}
	customer, res := check.CustomerKey(r.Properties, "kmsKeyId")
	if res != nil {
		return *res
	}
	if !customer {
		return policy.Failed("kmsKeyId is not a customer-managed key: the cache is encrypted with an AWS-owned key")
	}
	return policy.Passed()
}
