package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterParameterGroupForceSSL(t *testing.T) {
	good := map[string]any{
		"family": "aurora-postgresql16",
		"parameters": []any{
			map[string]any{"name": "log_min_duration_statement", "value": "1000"},
			map[string]any{"name": "rds.force_ssl", "value": "1", "applyMethod": "pending-reboot"},
		},
	}
	pt.Run(t, rds.ClusterParameterGroupForceSSL, "rds-cluster-parameter-group-force-ssl", []string{"164.312(e)(1)", "164.312(e)(2)(ii)"}, awstypes.RDSClusterParameterGroup, good, []pt.Case{
		{Name: "force_ssl 0", Set: map[string]any{"parameters[1].value": "0"}, Want: policy.Fail, Msg: `parameters sets rds.force_ssl to "0"`},
		{Name: "parameter absent", Set: map[string]any{"parameters[1].name": "log_connections"}, Want: policy.Fail, Msg: "parameters does not set rds.force_ssl"},
		{Name: "no parameters at all", Set: map[string]any{"parameters": pt.Missing}, Want: policy.Fail, Msg: "rds.force_ssl"},
		{Name: "value unknown", Set: map[string]any{"parameters[1].value": pt.Unknown}, Want: policy.Undetermined, Msg: "parameters[1].value cannot be verified until the value is known"},
		{Name: "parameters unknown", Set: map[string]any{"parameters": pt.Unknown}, Want: policy.Undetermined, Msg: "parameters cannot be verified"},
		{Name: "value as number", Set: map[string]any{"parameters[1].value": pt.Wrong(1)}, Want: policy.Pass},
		{Name: "value as bool", Set: map[string]any{"parameters[1].value": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "parameters[1].value is of type bool"},
		{Name: "secret value 0 not shown", Set: map[string]any{"parameters[1].value": pt.Secret("0")}, Want: policy.Fail, Msg: "rds.force_ssl to [secret]"},
		{Name: "aurora mysql family", Set: map[string]any{"family": "aurora-mysql8.0", "parameters[1].name": "require_secure_transport", "parameters[1].value": "ON"}, Want: policy.Pass},
		{Name: "aurora mysql without TLS", Set: map[string]any{"family": "aurora-mysql8.0"}, Want: policy.Fail, Msg: "require_secure_transport"},
	})
}
