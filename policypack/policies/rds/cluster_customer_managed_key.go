package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterCustomerManagedKey: an encrypted Aurora cluster uses a customer-managed KMS key.
var ClusterCustomerManagedKey = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-customer-managed-key",
		Title: "Encrypted Aurora clusters use a customer-managed KMS key",
		Description: "With a customer-managed key the hospital controls who may decrypt ePHI (key " +
			"policy), can rotate and audit the key, and can revoke access; the AWS-managed aws/rds " +
			"key cannot be restricted or shared. Unencrypted clusters are judged by " +
			"rds-cluster-storage-encrypted. A key reference computed from another resource " +
			"(unknown during preview) is a key of the stack, hence customer-managed.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set kmsKeyId to the ARN of a customer-managed KMS key (not alias/aws/rds).",
		References:    []string{refEncryption, "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterCustomerManagedKey,
}

func clusterCustomerManagedKey(_ policy.Env, r policy.Resource) policy.Result {
	mode, res := engineMode(r)
	if res != nil {
		return *res
	}
	if mode != "serverless" {
		enc, res := check.Bool(r.Properties, "storageEncrypted", false)
		if res != nil {
			return *res
		}
		if !enc {
			return policy.NotApplicableBecause("storageEncrypted is not true; encryption itself is judged by rds-cluster-storage-encrypted")
		}
	}
	customer, res := check.CustomerKey(r.Properties, "kmsKeyId")
	if res != nil {
		return *res
	}
	if !customer {
		return policy.Failed("kmsKeyId is not set to a customer-managed key: the cluster is encrypted with the AWS-managed key aws/rds")
	}
	return policy.Passed()
}
