package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestInstanceCustomerManagedKey(t *testing.T) {
	pt.Run(t, rds.InstanceCustomerManagedKey, "rds-instance-customer-managed-key", []string{"164.312(a)(2)(iv)"}, awstypes.RDSInstance, goodInstance(), []pt.Case{
		{Name: "no key", Set: map[string]any{"kmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "kmsKeyId is not set to a customer-managed key"},
		{Name: "AWS-managed alias", Set: map[string]any{"kmsKeyId": "alias/aws/rds"}, Want: policy.Fail, Msg: "kmsKeyId is not set to a customer-managed key"},
		{Name: "AWS-managed alias ARN", Set: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/rds"}, Want: policy.Fail, Msg: "kmsKeyId"},
		{Name: "key computed in preview is a key of the stack", Set: map[string]any{"kmsKeyId": pt.Unknown}, Want: policy.Pass},
		{Name: "encryption unknown", Set: map[string]any{"storageEncrypted": pt.Unknown}, Want: policy.Undetermined, Msg: "storageEncrypted cannot be verified until the value is known"},
		{Name: "secret key ARN", Set: map[string]any{"kmsKeyId": pt.Secret(keyARN)}, Want: policy.Pass},
		{Name: "key of wrong type", Set: map[string]any{"kmsKeyId": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "kmsKeyId is of type bool"},
		{Name: "unencrypted is judged elsewhere", Set: map[string]any{"storageEncrypted": false, "kmsKeyId": pt.Missing}, Want: policy.NotApplicable, Msg: "rds-instance-storage-encrypted"},
		{Name: "encrypted restore keeps the snapshot's key", Set: map[string]any{"kmsKeyId": pt.Missing, "snapshotIdentifier": "vitals-final"}, Want: policy.Undetermined, Msg: "the instance is restored through snapshotIdentifier and keeps the key of the snapshot or source instance"},
		{Name: "encrypted replica keeps the source's key", Set: map[string]any{"kmsKeyId": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Undetermined, Msg: "the read replica (replicateSourceDb) has no kmsKeyId and keeps its source's key (storageEncrypted is ignored for replicas)"},
		{Name: "point-in-time restore keeps the source's key", Set: map[string]any{"kmsKeyId": pt.Missing, "restoreToPointInTime": map[string]any{"sourceDbInstanceIdentifier": "vitals", "useLatestRestorableTime": true}}, Want: policy.Undetermined, Msg: "restored through restoreToPointInTime"},
		{Name: "restore given a key keeps the snapshot's", Set: map[string]any{"snapshotIdentifier": "vitals-final"}, Want: policy.Undetermined, Msg: "the instance is restored through snapshotIdentifier and keeps the key of the snapshot or source instance, whatever storageEncrypted and kmsKeyId say"},
		{Name: "unencrypted-looking restore is not skipped", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "restoreToPointInTime": map[string]any{"sourceDbInstanceIdentifier": "vitals"}}, Want: policy.Undetermined, Msg: "restored through restoreToPointInTime"},
		{Name: "replica without any setting is not skipped", Set: map[string]any{"storageEncrypted": pt.Missing, "kmsKeyId": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Undetermined, Msg: "keeps its source's key"},
		{Name: "replica given a customer key", Set: map[string]any{"storageEncrypted": pt.Missing, "replicateSourceDb": "vitals-primary"}, Want: policy.Pass},
		{Name: "point-in-time restore of the wrong type", Set: map[string]any{"kmsKeyId": pt.Missing, "restoreToPointInTime": pt.Wrong("vitals")}, Want: policy.Undetermined, Msg: "restoreToPointInTime is of type string"},
		{Name: "replica with an AWS-managed key", Set: map[string]any{"storageEncrypted": pt.Missing, "replicateSourceDb": "vitals-primary", "kmsKeyId": "alias/aws/rds"}, Want: policy.Fail, Msg: "kmsKeyId is not set to a customer-managed key"},
	})
}
