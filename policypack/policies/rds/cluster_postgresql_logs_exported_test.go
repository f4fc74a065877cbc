package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterPostgresqlLogsExported(t *testing.T) {
	pt.Run(t, rds.ClusterPostgresqlLogsExported, "rds-cluster-postgresql-logs-exported", []string{"164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.312(b)"}, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "no exports", Set: map[string]any{"enabledCloudwatchLogsExports": pt.Missing}, Want: policy.Fail, Msg: "enabledCloudwatchLogsExports does not contain"},
		{Name: "other log only", Set: map[string]any{"enabledCloudwatchLogsExports": []any{"upgrade"}}, Want: policy.Fail, Msg: "enabledCloudwatchLogsExports"},
		{Name: "unknown", Set: map[string]any{"enabledCloudwatchLogsExports": pt.Unknown}, Want: policy.Undetermined, Msg: "enabledCloudwatchLogsExports cannot be verified"},
		{Name: "element unknown", Set: map[string]any{"enabledCloudwatchLogsExports": []any{pt.Unknown}}, Want: policy.Undetermined, Msg: "enabledCloudwatchLogsExports cannot be verified"},
		{Name: "secret list", Set: map[string]any{"enabledCloudwatchLogsExports": pt.Secret([]any{"postgresql"})}, Want: policy.Pass},
		{Name: "string instead of list", Set: map[string]any{"enabledCloudwatchLogsExports": pt.Wrong("postgresql")}, Want: policy.Undetermined, Msg: "enabledCloudwatchLogsExports is of type string"},
		{Name: "mysql engine", Set: map[string]any{"engine": "aurora-mysql", "enabledCloudwatchLogsExports": pt.Missing}, Want: policy.NotApplicable, Msg: "engine is aurora-mysql"},
		{Name: "engine unset", Set: map[string]any{"engine": pt.Missing}, Want: policy.NotApplicable, Msg: "engine is not set"},
	})
}
