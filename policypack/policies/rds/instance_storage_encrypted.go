package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// InstanceStorageEncrypted: standalone RDS DB instance storage is encrypted at rest.
var InstanceStorageEncrypted = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-instance-storage-encrypted",
		Title: "RDS DB instance storage is encrypted at rest",
		Description: "ePHI stored in a standalone (non-Aurora) RDS DB instance must be encrypted at " +
			"rest. storageEncrypted defaults to false. An instance restored from a snapshot " +
			"(snapshotIdentifier) or to a point in time (restoreToPointInTime) keeps the encryption " +
			"of its source whatever storageEncrypted says, and the source is not visible to this " +
			"policy: undetermined, never a pass. A read replica (replicateSourceDb) given a " +
			"kmsKeyId is encrypted (AWS refuses an encrypted replica of an unencrypted source); " +
			"without one it follows its source: undetermined.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.RDSInstance},
		Remediation:   "Set storageEncrypted: true (and kmsKeyId to a customer-managed key) on the aws.rds.Instance; an existing unencrypted instance must be restored from an encrypted snapshot copy.",
		References:    []string{refInstanceEncryption, refInstancePulumi},
		Engine:        policy.EngineGo,
	},
	Resource: instanceStorageEncrypted,
}

func instanceStorageEncrypted(_ policy.Env, r policy.Resource) policy.Result {
	kind, _, decided := inheritedFromSource(r.Properties, "encryption")
	switch {
	case decided != nil:
		return *decided
	case kind == replica:
		return policy.Passed() // it has a kmsKeyId: AWS refuses an encrypted replica of an unencrypted source
	}
	enc, st := props.Bool(r.Properties, "storageEncrypted")
	switch {
	case st == props.Unknown || st == props.WrongType:
		return *check.Undetermined(r.Properties, "storageEncrypted", st, "a boolean")
	case st == props.Known && enc:
		return policy.Passed()
	case st == props.Known:
		return policy.Failed("storageEncrypted is false: the DB instance storage is not encrypted at rest")
	}
	return policy.Failed("storageEncrypted is not set (AWS default: unencrypted): the DB instance storage is not encrypted at rest")
}
