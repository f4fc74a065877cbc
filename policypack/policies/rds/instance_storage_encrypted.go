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
			"rest. storageEncrypted defaults to false. A read replica (replicateSourceDb) or an " +
			"instance restored from a snapshot (snapshotIdentifier) or to a point in time " +
			"(restoreToPointInTime) takes its encryption from the " +
			"source, which this policy does not see: without storageEncrypted: true or a kmsKeyId " +
			"it is reported as undetermined, never as a pass.",
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
	enc, st := props.Bool(r.Properties, "storageEncrypted")
	switch {
	case st == props.Unknown || st == props.WrongType:
		return *check.Undetermined(r.Properties, "storageEncrypted", st, "a boolean")
	case st == props.Known && enc:
		return policy.Passed()
	case st == props.Known:
		return policy.Failed("storageEncrypted is false: the DB instance storage is not encrypted at rest")
	}
	// Absent: AWS's default is unencrypted, unless the encryption comes from a source.
	key, res := check.Set(r.Properties, "kmsKeyId")
	if res != nil {
		return *res
	}
	src, res := instanceSource(r.Properties)
	switch {
	case res != nil:
		return *res
	case src != "" && key:
		return policy.Passed() // a replica or restore given a KMS key is encrypted with it
	case src != "":
		return policy.UndeterminedBecause("storageEncrypted is not set and the instance takes its encryption from %s, which this policy cannot see; set storageEncrypted: true to make it verifiable", src)
	}
	return policy.Failed("storageEncrypted is not set (AWS default: unencrypted): the DB instance storage is not encrypted at rest")
}
