package apigatewayv2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigatewayv2"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestWebSocketAPIConnectRouteAuthorized(t *testing.T) {
	const canary = "canary-ws-route-31f0"
	good := []pt.Res{
		{Type: awstypes.APIGatewayV2API, Name: "alerts-ws", Props: map[string]any{"id": "ws0a1", "name": "alerts-ws-prod", "protocolType": "WEBSOCKET", "routeSelectionExpression": "$request.body.action"}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-connect", Props: map[string]any{"apiId": "ws0a1", "routeKey": "$connect", "authorizationType": "CUSTOM", "authorizerId": "auth9"}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-subscribe", Props: map[string]any{"apiId": "ws0a1", "routeKey": "subscribe"}},
		{Type: awstypes.APIGatewayV2API, Name: "vitals-ws", Props: map[string]any{"name": "vitals-ws-prod", "protocolType": "WEBSOCKET"}},
		{Type: awstypes.APIGatewayV2Route, Name: "vitals-connect", Props: map[string]any{"apiId": pt.Unknown, "routeKey": "$connect", "authorizationType": "AWS_IAM"}, Deps: map[string][]string{"apiId": {"vitals-ws"}}},
		{Type: awstypes.APIGatewayV2Route, Name: "vitals-disconnect", Props: map[string]any{"apiId": pt.Unknown, "routeKey": "$disconnect"}, Deps: map[string][]string{"apiId": {"vitals-ws"}}},
	}
	otherConnect := pt.Res{Type: awstypes.APIGatewayV2Route, Name: "other-connect", Props: map[string]any{"apiId": "ws9z9", "routeKey": "$connect", "authorizationType": "AWS_IAM"}}
	pt.RunStack(t, apigatewayv2.WebSocketAPIConnectRouteAuthorized, "apigatewayv2-websocket-api-connect-route-authorized", []string{"164.312(a)(1)", "164.312(d)"}, good, []pt.StackCase{
		{Name: "no $connect route", Remove: []string{"alerts-connect"}, Check: "alerts-ws", Want: policy.Fail, Msg: "this WebSocket API has no $connect route"},
		{Name: "only another API's $connect", Remove: []string{"alerts-connect"}, Add: []pt.Res{otherConnect}, Check: "alerts-ws", Want: policy.Fail, Msg: "no $connect route"},
		{Name: "$connect open", Target: "alerts-connect", Set: map[string]any{"authorizationType": "NONE"}, Check: "alerts-ws", Want: policy.Fail, Msg: "$connect route alerts-connect: authorizationType is \"NONE\""},
		{Name: "$connect without authorization type", Target: "vitals-connect", Set: map[string]any{"authorizationType": pt.Missing}, Check: "vitals-ws", Want: policy.Fail, Msg: "$connect route vitals-connect: authorizationType is not set"},
		{Name: "$connect Lambda authorizer missing", Target: "alerts-connect", Set: map[string]any{"authorizerId": pt.Missing}, Check: "alerts-ws", Want: policy.Fail, Msg: "but authorizerId is not set"},
		{Name: "$connect authorization secret", Target: "alerts-connect", Set: map[string]any{"authorizationType": pt.Secret("none")}, Check: "alerts-ws", Want: policy.Fail, Msg: "authorizationType is [secret]"},
		{Name: "$connect authorization unknown", Target: "alerts-connect", Set: map[string]any{"authorizationType": pt.Unknown}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "$connect route alerts-connect: authorizationType cannot be verified until the value is known"},
		{Name: "route key unknown", Target: "alerts-connect", Set: map[string]any{"routeKey": pt.Unknown}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "route alerts-connect: routeKey cannot be verified until the value is known"},
		{Name: "route key of the wrong type", Target: "alerts-connect", Set: map[string]any{"routeKey": pt.Wrong(1)}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "route alerts-connect: routeKey is of type number"},
		{Name: "secret route key is not shown", Target: "alerts-subscribe", Set: map[string]any{"routeKey": pt.Secret(canary)}, Check: "alerts-ws", Want: policy.Pass},
		{Name: "api reference unknown", Target: "alerts-connect", Set: map[string]any{"apiId": pt.Unknown}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "apiId of route alerts-connect cannot be verified until the value is known"},
		{Name: "open $connect beats an unknown route", Target: "vitals-connect", Set: map[string]any{"authorizationType": "NONE"}, Add: []pt.Res{{Type: awstypes.APIGatewayV2Route, Name: "vitals-other", Props: map[string]any{"apiId": pt.Unknown, "routeKey": pt.Unknown}, Deps: map[string][]string{"apiId": {"vitals-ws"}}}}, Check: "vitals-ws", Want: policy.Fail, Msg: "anyone can call this route"},
		{Name: "HTTP API", Target: "alerts-ws", Set: map[string]any{"protocolType": "HTTP"}, Check: "alerts-ws", Want: policy.NotApplicable, Msg: "protocolType is HTTP, not WEBSOCKET"},
		{Name: "protocol lower case", Target: "alerts-ws", Set: map[string]any{"protocolType": "websocket"}, Remove: []string{"alerts-connect"}, Check: "alerts-ws", Want: policy.Fail, Msg: "no $connect route"},
		{Name: "protocol unknown", Target: "alerts-ws", Set: map[string]any{"protocolType": pt.Unknown}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "protocolType cannot be verified until the value is known"},
		{Name: "protocol of the wrong type", Target: "alerts-ws", Set: map[string]any{"protocolType": pt.Wrong(true)}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "protocolType is of type bool"},
		{Name: "protocol missing", Target: "alerts-ws", Set: map[string]any{"protocolType": pt.Missing}, Check: "alerts-ws", Want: policy.Undetermined, Msg: "protocolType is not set"},
	})
}
