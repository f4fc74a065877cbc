package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterBackupRetention(t *testing.T) {
	pt.Run(t, rds.ClusterBackupRetention, "rds-cluster-backup-retention", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"}, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "too short", Set: map[string]any{"backupRetentionPeriod": 3}, Want: policy.Fail, Msg: "backupRetentionPeriod is 3 day(s), below the required 7"},
		{Name: "missing is 1 day", Set: map[string]any{"backupRetentionPeriod": pt.Missing}, Want: policy.Fail, Msg: "backupRetentionPeriod is 1 day(s) (the AWS default when unset)"},
		{Name: "unknown", Set: map[string]any{"backupRetentionPeriod": pt.Unknown}, Want: policy.Undetermined, Msg: "backupRetentionPeriod cannot be verified until the value is known"},
		{Name: "numeric string", Set: map[string]any{"backupRetentionPeriod": pt.Wrong("14")}, Want: policy.Pass},
		{Name: "bool", Set: map[string]any{"backupRetentionPeriod": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "backupRetentionPeriod is of type bool"},
		{Name: "secret short", Set: map[string]any{"backupRetentionPeriod": pt.Secret(2)}, Want: policy.Fail, Msg: "backupRetentionPeriod"},
		{Name: "configured minimum", Set: map[string]any{"backupRetentionPeriod": 14}, Params: map[string]any{rds.MinBackupRetentionParam: 30}, Want: policy.Fail, Msg: "below the required 30"},
		{Name: "maximum 35", Set: map[string]any{"backupRetentionPeriod": 35}, Want: policy.Pass},
	})
}
