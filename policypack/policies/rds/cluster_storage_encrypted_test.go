package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterStorageEncrypted(t *testing.T) {
	pt.Run(t, rds.ClusterStorageEncrypted, "rds-cluster-storage-encrypted", []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "not encrypted", Set: map[string]any{"storageEncrypted": false}, Want: policy.Fail, Msg: "storageEncrypted is not true on this provisioned"},
		{Name: "missing means unencrypted (provisioned default)", Set: map[string]any{"storageEncrypted": pt.Missing}, Want: policy.Fail, Msg: "storageEncrypted"},
		{Name: "unknown", Set: map[string]any{"storageEncrypted": pt.Unknown}, Want: policy.Undetermined, Msg: "storageEncrypted cannot be verified until the value is known"},
		{Name: "secret true", Set: map[string]any{"storageEncrypted": pt.Secret(true)}, Want: policy.Pass},
		{Name: "string false", Set: map[string]any{"storageEncrypted": pt.Wrong("false")}, Want: policy.Fail, Msg: "storageEncrypted"},
		{Name: "uninterpretable string", Set: map[string]any{"storageEncrypted": pt.Wrong("yes please")}, Want: policy.Undetermined, Msg: "storageEncrypted is of type string"},
		{Name: "serverless v1 is always encrypted", Set: map[string]any{"engineMode": "serverless", "storageEncrypted": pt.Missing}, Want: policy.Pass},
		{Name: "explicit provisioned unencrypted", Set: map[string]any{"engineMode": "provisioned", "storageEncrypted": false}, Want: policy.Fail, Msg: "storageEncrypted"},
		{Name: "engine mode unknown", Set: map[string]any{"engineMode": pt.Unknown, "storageEncrypted": pt.Missing}, Want: policy.Undetermined, Msg: "engineMode cannot be verified"},
	})
}
