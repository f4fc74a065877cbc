package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestMethodSettingsDataTraceDisabled(t *testing.T) {
	pt.Run(t, apigateway.MethodSettingsDataTraceDisabled, "apigateway-method-settings-data-trace-disabled", []string{"164.308(a)(4)(ii)(A)", "164.312(a)(1)"}, awstypes.APIGatewayMethodSettings, goodMethodSettings(), []pt.Case{
		{Name: "on", Set: map[string]any{"settings.dataTraceEnabled": true}, Want: policy.Fail, Msg: "settings.dataTraceEnabled is true"},
		{Name: "missing is off", Set: map[string]any{"settings.dataTraceEnabled": pt.Missing}, Want: policy.Pass},
		{Name: "unknown", Set: map[string]any{"settings.dataTraceEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "settings.dataTraceEnabled cannot be verified"},
		{Name: "secret on", Set: map[string]any{"settings.dataTraceEnabled": pt.Secret(true)}, Want: policy.Fail, Msg: "settings.dataTraceEnabled"},
		{Name: "string on", Set: map[string]any{"settings.dataTraceEnabled": pt.Wrong("true")}, Want: policy.Fail, Msg: "settings.dataTraceEnabled"},
		{Name: "list", Set: map[string]any{"settings.dataTraceEnabled": pt.Wrong([]any{})}, Want: policy.Undetermined, Msg: "settings.dataTraceEnabled is of type array"},
	})
}
