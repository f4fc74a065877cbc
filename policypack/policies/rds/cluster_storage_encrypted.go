package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterStorageEncrypted: Aurora cluster storage is encrypted at rest.
var ClusterStorageEncrypted = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-storage-encrypted",
		Title: "Aurora cluster storage is encrypted at rest",
		Description: "Patient vitals stored in Aurora must be encrypted at rest. storageEncrypted is a " +
			"cluster property (instances inherit it and are not judged); it defaults to false for " +
			"provisioned clusters (an absent engineMode, Serverless v2 included); only Serverless v1 " +
			"(engineMode serverless) is always encrypted.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set storageEncrypted: true (and kmsKeyId to a customer-managed key) on the aws.rds.Cluster; an existing unencrypted cluster must be restored from an encrypted snapshot copy.",
		References:    []string{refEncryption, refPulumi},
		Engine:        policy.EngineGo,
	},
	Resource: clusterStorageEncrypted,
}

func clusterStorageEncrypted(_ policy.Env, r policy.Resource) policy.Result {
	mode, res := engineMode(r)
	if res != nil {
		return *res
	}
	if mode == "serverless" {
		return policy.Passed() // Serverless v1 storage is always encrypted.
	}
	enc, res := check.Bool(r.Properties, "storageEncrypted", false)
	if res != nil {
		return *res
	}
	if !enc {
		return policy.Failed("storageEncrypted is not true on this %s Aurora cluster: its storage is not encrypted at rest", check.Show(r.Properties, "engineMode", mode))
	}
	return policy.Passed()
}
