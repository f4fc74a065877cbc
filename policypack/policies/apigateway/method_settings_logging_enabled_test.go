package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestMethodSettingsLoggingEnabled(t *testing.T) {
	pt.Run(t, apigateway.MethodSettingsLoggingEnabled, "apigateway-method-settings-logging-enabled", []string{"164.312(b)"}, awstypes.APIGatewayMethodSettings, goodMethodSettings(), []pt.Case{
		{Name: "off", Set: map[string]any{"settings.loggingLevel": "OFF"}, Want: policy.Fail, Msg: "settings.loggingLevel is OFF"},
		{Name: "missing", Set: map[string]any{"settings.loggingLevel": pt.Missing}, Want: policy.Fail, Msg: "settings.loggingLevel is not set"},
		{Name: "error", Set: map[string]any{"settings.loggingLevel": "ERROR"}, Want: policy.Pass},
		{Name: "unknown", Set: map[string]any{"settings.loggingLevel": pt.Unknown}, Want: policy.Undetermined, Msg: "settings.loggingLevel cannot be verified"},
		{Name: "settings unknown", Set: map[string]any{"settings": pt.Unknown}, Want: policy.Undetermined, Msg: "settings.loggingLevel cannot be verified"},
		{Name: "secret", Set: map[string]any{"settings.loggingLevel": pt.Secret("NONE")}, Want: policy.Fail, Msg: "settings.loggingLevel is [secret]"},
		{Name: "wrong type", Set: map[string]any{"settings.loggingLevel": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "settings.loggingLevel is of type bool"},
	})
}
