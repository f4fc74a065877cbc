package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestInstanceStorageEncrypted(t *testing.T) {
	pt.Run(t, rds.InstanceStorageEncrypted, "rds-instance-storage-encrypted", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, awstypes.RDSInstance, goodInstance(), []pt.Case{
		{Name: "not encrypted", Set: map[string]any{"storageEncrypted": false}, Want: policy.Fail, Msg: "storageEncrypted is false: the DB instance storage is not encrypted at rest"},
		{Name: "missing means unencrypted", Set: map[string]any{"storageEncrypted": pt.Missing}, Want: policy.Fail, Msg: "storageEncrypted is not set (AWS default: unencrypted)"},
		{Name: "missing with a key only is still the default", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": keyARN}, Want: policy.Fail, Msg: "storageEncrypted is not set"},
		{Name: "unknown", Set: map[string]any{"storageEncrypted": pt.Unknown}, Want: policy.Undetermined, Msg: "storageEncrypted cannot be verified until the value is known"},
		{Name: "secret true", Set: map[string]any{"storageEncrypted": pt.Secret(true)}, Want: policy.Pass},
		{Name: "secret false", Set: map[string]any{"storageEncrypted": pt.Secret(false)}, Want: policy.Fail, Msg: "storageEncrypted is false"},
		{Name: "string true", Set: map[string]any{"storageEncrypted": pt.Wrong("true")}, Want: policy.Pass},
		{Name: "string false", Set: map[string]any{"storageEncrypted": pt.Wrong("False")}, Want: policy.Fail, Msg: "storageEncrypted is false"},
		{Name: "uninterpretable string", Set: map[string]any{"storageEncrypted": pt.Wrong("encrypted")}, Want: policy.Undetermined, Msg: "storageEncrypted is of type string where a boolean was expected"},
		{Name: "replica inherits from a source it cannot see", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Undetermined, Msg: "the read replica (replicateSourceDb) has no kmsKeyId and keeps its source's encryption (storageEncrypted is ignored for replicas)"},
		{Name: "replica of a source computed at preview", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "replicateSourceDb": pt.Unknown}, Want: policy.Undetermined, Msg: "replicateSourceDb"},
		{Name: "cross-region replica with a key is encrypted", Set: map[string]any{"storageEncrypted": pt.Missing, "replicateSourceDb": "arn:aws:rds:us-west-2:111122223333:db:vitals"}, Want: policy.Pass},
		{Name: "restore from a snapshot", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "snapshotIdentifier": "vitals-final"}, Want: policy.Undetermined, Msg: "the instance is restored through snapshotIdentifier and keeps the encryption of the snapshot or source instance"},
		{Name: "point-in-time restore", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "restoreToPointInTime": map[string]any{"sourceDbInstanceIdentifier": "vitals", "restoreTime": "2026-11-30T08:00:00Z"}}, Want: policy.Undetermined, Msg: "restored through restoreToPointInTime"},
		{Name: "restore declared encrypted with a key is still the source's", Set: map[string]any{"restoreToPointInTime": map[string]any{"sourceDbInstanceIdentifier": "vitals"}}, Want: policy.Undetermined, Msg: "whatever storageEncrypted and kmsKeyId say"},
		{Name: "snapshot restore declared encrypted", Set: map[string]any{"kmsKeyId": pt.Missing, "snapshotIdentifier": "vitals-final"}, Want: policy.Undetermined, Msg: "restored through snapshotIdentifier"},
		{Name: "point-in-time restore computed at preview", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "restoreToPointInTime": pt.Unknown}, Want: policy.Undetermined, Msg: "restoreToPointInTime cannot be verified"},
		{Name: "replica: storageEncrypted is ignored", Set: map[string]any{"storageEncrypted": false, "kmsKeyId": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Undetermined, Msg: "ignored for replicas"},
		{Name: "replica declared encrypted without a key", Set: map[string]any{"kmsKeyId": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Undetermined, Msg: "give it a kmsKeyId"},
		{Name: "replica with a key", Set: map[string]any{"storageEncrypted": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Pass},
		{Name: "source of the wrong type", Set: map[string]any{"storageEncrypted": pt.Missing, "replicateSourceDb": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "replicateSourceDb is of type bool"},
		{Name: "key of the wrong type", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Wrong(42)}, Want: policy.Undetermined, Msg: "kmsKeyId is of type number"},
	})
}
