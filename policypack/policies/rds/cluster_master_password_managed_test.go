package rds_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

const plainCanary = "PLAINCANARY1"

// A plain (non-secret) password must never be displayed either.
func TestClusterMasterPasswordManagedHidesPlainPassword(t *testing.T) {
	props := goodCluster()
	props["masterPassword"] = plainCanary
	p := rds.ClusterMasterPasswordManaged
	got := p.Resource(pt.Env(p, pt.DefaultStack, nil), policy.Resource{
		URN:        pt.URN(pt.DefaultStack, awstypes.RDSCluster, "vitals"),
		Type:       awstypes.RDSCluster,
		Name:       "vitals",
		Properties: pt.ToPropertyMap(props),
	})
	require.Equal(t, policy.Fail, got.Status)
	require.NotEmpty(t, got.Messages)
	for _, m := range got.Messages {
		assert.NotContains(t, m, plainCanary)
	}
}

func TestClusterMasterPasswordManaged(t *testing.T) {
	pt.Run(t, rds.ClusterMasterPasswordManaged, "rds-cluster-master-password-managed", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"}, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "secret password beside managed", Set: map[string]any{"masterPassword": pt.Secret("canary-Pa55word-never-print")}, Want: policy.Fail, Msg: "masterPassword is set (value not shown)"},
		{Name: "unknown password beside managed", Set: map[string]any{"masterPassword": pt.Unknown}, Want: policy.Fail, Msg: "masterPassword is set (value not shown)"},
		{Name: "plain password beside managed", Set: map[string]any{"masterPassword": plainCanary}, Want: policy.Fail, Msg: "masterPassword is set (value not shown)"},
		{Name: "empty password is none", Set: map[string]any{"masterPassword": ""}, Want: policy.Pass},
		{Name: "not managed", Set: map[string]any{"manageMasterUserPassword": false}, Want: policy.Fail, Msg: "manageMasterUserPassword is not true"},
		{Name: "managed missing", Set: map[string]any{"manageMasterUserPassword": pt.Missing}, Want: policy.Fail, Msg: "manageMasterUserPassword"},
		{Name: "managed unknown", Set: map[string]any{"manageMasterUserPassword": pt.Unknown}, Want: policy.Undetermined, Msg: "manageMasterUserPassword cannot be verified"},
		{Name: "managed as string", Set: map[string]any{"manageMasterUserPassword": pt.Wrong("true")}, Want: policy.Pass},
		{Name: "managed as number", Set: map[string]any{"manageMasterUserPassword": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "manageMasterUserPassword is of type number"},
		{Name: "restored from snapshot", Set: map[string]any{"manageMasterUserPassword": pt.Missing, "snapshotIdentifier": "vitals-final"}, Want: policy.NotApplicable, Msg: "snapshotIdentifier"},
	})
}
