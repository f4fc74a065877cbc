package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterDeletionProtection(t *testing.T) {
	pt.Run(t, rds.ClusterDeletionProtection, "rds-cluster-deletion-protection", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "off in prod", Set: map[string]any{"deletionProtection": false}, Want: policy.Fail, Msg: "deletionProtection is not true on a cluster of production stack prod"},
		{Name: "missing in prod", Set: map[string]any{"deletionProtection": pt.Missing}, Want: policy.Fail, Msg: "deletionProtection"},
		{Name: "off in dev", Set: map[string]any{"deletionProtection": false}, Stack: "dev", Want: policy.NotApplicable, Msg: "stack dev is not a production stack"},
		{Name: "custom production list", Set: map[string]any{"deletionProtection": false}, Stack: "staging", Params: map[string]any{"productionStacks": []any{"staging"}}, Want: policy.Fail, Msg: "production stack staging"},
		{Name: "unknown", Set: map[string]any{"deletionProtection": pt.Unknown}, Want: policy.Undetermined, Msg: "deletionProtection cannot be verified"},
		{Name: "secret", Set: map[string]any{"deletionProtection": pt.Secret(false)}, Want: policy.Fail, Msg: "deletionProtection"},
		{Name: "string", Set: map[string]any{"deletionProtection": pt.Wrong("True")}, Want: policy.Pass},
		{Name: "object", Set: map[string]any{"deletionProtection": pt.Wrong(map[string]any{"on": true})}, Want: policy.Undetermined, Msg: "deletionProtection is of type object"},
	})
}
