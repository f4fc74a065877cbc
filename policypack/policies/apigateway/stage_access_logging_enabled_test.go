package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestStageAccessLoggingEnabled(t *testing.T) {
	pt.Run(t, apigateway.StageAccessLoggingEnabled, "apigateway-stage-access-logging-enabled", []string{"164.308(a)(1)(ii)(D)", "164.312(b)"}, awstypes.APIGatewayStage, goodStage(), []pt.Case{
		{Name: "no settings", Set: map[string]any{"accessLogSettings": pt.Missing}, Want: policy.Fail, Msg: "accessLogSettings.destinationArn is not set"},
		{Name: "no format", Set: map[string]any{"accessLogSettings.format": ""}, Want: policy.Fail, Msg: "accessLogSettings.format is not set"},
		{Name: "destination computed (unknown) is set", Set: map[string]any{"accessLogSettings.destinationArn": pt.Unknown}, Want: policy.Pass},
		{Name: "settings unknown", Set: map[string]any{"accessLogSettings": pt.Unknown}, Want: policy.Pass},
		{Name: "secret destination", Set: map[string]any{"accessLogSettings.destinationArn": pt.Secret("arn:aws:logs:us-east-1:111122223333:log-group:hidden")}, Want: policy.Pass},
		{Name: "settings wrong type", Set: map[string]any{"accessLogSettings": pt.Wrong("enabled")}, Want: policy.Fail, Msg: "accessLogSettings.destinationArn is not set"},
		{Name: "format wrong type", Set: map[string]any{"accessLogSettings.format": pt.Wrong(map[string]any{"requestId": "$context.requestId"})}, Want: policy.Undetermined, Msg: "accessLogSettings.format is of type object"},
	})
}
