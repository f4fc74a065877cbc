package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// InstanceCustomerManagedKey: an encrypted RDS DB instance uses a customer-managed KMS key.
var InstanceCustomerManagedKey = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-instance-customer-managed-key",
		Title: "Encrypted RDS DB instances use a customer-managed KMS key",
		Description: "With a customer-managed key the hospital controls who may decrypt ePHI (key " +
			"policy), can rotate and audit the key, and can revoke access; the AWS-managed aws/rds " +
			"key cannot be restricted or shared. Unencrypted instances are judged by " +
			"rds-instance-storage-encrypted. A key reference computed from another resource " +
			"(unknown during preview) is a key of the stack, hence customer-managed. An instance " +
			"restored from a snapshot or to a point in time keeps its source's key, and a read " +
			"replica without its own kmsKeyId keeps its source's: the source is not visible to " +
			"this policy, so both are undetermined.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.RDSInstance},
		Remediation:   "Set kmsKeyId to the ARN of a customer-managed KMS key (not alias/aws/rds).",
		References:    []string{refInstanceEncryption, "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk"},
		Engine:        policy.EngineGo,
	},
	Resource: instanceCustomerManagedKey,
}

func instanceCustomerManagedKey(_ policy.Env, r policy.Resource) policy.Result {
	kind, key, decided := inheritedFromSource(r.Properties, "key")
	if decided != nil {
		return *decided
	}
	if kind == newInstance {
		enc, res := check.Bool(r.Properties, "storageEncrypted", false)
		if res != nil {
			return *res
		}
		if !enc && !key {
			return policy.NotApplicableBecause("storageEncrypted is not true and no kmsKeyId is set; encryption itself is judged by rds-instance-storage-encrypted")
		}
	}
	customer, res := check.CustomerKey(r.Properties, "kmsKeyId")
	if res != nil {
		return *res
	}
	if !customer {
		return policy.Failed("kmsKeyId is not set to a customer-managed key: the instance is encrypted with the AWS-managed key aws/rds")
	}
	return policy.Passed()
}
