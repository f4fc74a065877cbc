package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestStageAccessLoggingEnabled(t *testing.T) {
	id, controls := "apigateway-stage-access-logging-enabled", []string{"164.308(a)(1)(ii)(D)", "164.312(b)"}
	pt.Run(t, apigateway.StageAccessLoggingEnabled, id, controls, awstypes.APIGatewayV2Stage, map[string]any{
		"apiId": "h1t2p3", "name": "$default", "autoDeploy": true,
		"accessLogSettings": map[string]any{"destinationArn": pt.Unknown, "format": `{"requestId":"$context.requestId"}`},
	}, []pt.Case{
		{Name: "v2 without settings", Set: map[string]any{"accessLogSettings": pt.Missing}, Want: policy.Fail, Msg: "accessLogSettings.destinationArn is not set"},
		{Name: "v2 format computed", Set: map[string]any{"accessLogSettings.format": pt.Unknown}, Want: policy.Pass},
		{Name: "v2 secret format", Set: map[string]any{"accessLogSettings.format": pt.Secret("canary-format")}, Want: policy.Pass},
		{Name: "v2 format wrong type", Set: map[string]any{"accessLogSettings.format": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "accessLogSettings.format is of type bool"},
	})
	pt.Run(t, apigateway.StageAccessLoggingEnabled, id, controls, awstypes.APIGatewayStage, goodStage(), []pt.Case{
		{Name: "no settings", Set: map[string]any{"accessLogSettings": pt.Missing}, Want: policy.Fail, Msg: "accessLogSettings.destinationArn is not set"},
		{Name: "no format", Set: map[string]any{"accessLogSettings.format": ""}, Want: policy.Fail, Msg: "accessLogSettings.format is not set"},
		{Name: "destination computed (unknown) is set", Set: map[string]any{"accessLogSettings.destinationArn": pt.Unknown}, Want: policy.Pass},
		{Name: "settings unknown", Set: map[string]any{"accessLogSettings": pt.Unknown}, Want: policy.Pass},
		{Name: "secret destination", Set: map[string]any{"accessLogSettings.destinationArn": pt.Secret("arn:aws:logs:us-east-1:111122223333:log-group:hidden")}, Want: policy.Pass},
		{Name: "settings wrong type", Set: map[string]any{"accessLogSettings": pt.Wrong("enabled")}, Want: policy.Fail, Msg: "accessLogSettings.destinationArn is not set"},
		{Name: "format wrong type", Set: map[string]any{"accessLogSettings.format": pt.Wrong(map[string]any{"requestId": "$context.requestId"})}, Want: policy.Undetermined, Msg: "accessLogSettings.format is of type object"},
	})
}
