package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestStageXRayTracingEnabled(t *testing.T) {
	pt.Run(t, apigateway.StageXRayTracingEnabled, "apigateway-stage-xray-tracing-enabled", []string{"164.312(b)"}, awstypes.APIGatewayStage, goodStage(), []pt.Case{
		{Name: "off", Set: map[string]any{"xrayTracingEnabled": false}, Want: policy.Fail, Msg: "xrayTracingEnabled is not true"},
		{Name: "missing", Set: map[string]any{"xrayTracingEnabled": pt.Missing}, Want: policy.Fail, Msg: "xrayTracingEnabled"},
		{Name: "unknown", Set: map[string]any{"xrayTracingEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "xrayTracingEnabled cannot be verified"},
		{Name: "secret", Set: map[string]any{"xrayTracingEnabled": pt.Secret(true)}, Want: policy.Pass},
		{Name: "string", Set: map[string]any{"xrayTracingEnabled": pt.Wrong("false")}, Want: policy.Fail, Msg: "xrayTracingEnabled"},
		{Name: "number", Set: map[string]any{"xrayTracingEnabled": pt.Wrong(0)}, Want: policy.Undetermined, Msg: "xrayTracingEnabled is of type number"},
	})
}
