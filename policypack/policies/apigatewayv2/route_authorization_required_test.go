package apigatewayv2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigatewayv2"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestRouteAuthorizationRequired(t *testing.T) {
	const canary = "canary-route-9c1e"
	good := map[string]any{"apiId": "a1b2c3", "routeKey": "POST /vitals", "authorizationType": "JWT", "authorizerId": "auth01", "target": "integrations/int01"}
	pt.Run(t, apigatewayv2.RouteAuthorizationRequired, "apigatewayv2-route-authorization-required", []string{"164.312(a)(1)", "164.312(d)"}, awstypes.APIGatewayV2Route, good, []pt.Case{
		{Name: "NONE", Set: map[string]any{"authorizationType": "NONE"}, Want: policy.Fail, Msg: `authorizationType is "NONE" (absent means NONE): anyone can call this route`},
		{Name: "absent means NONE", Set: map[string]any{"authorizationType": pt.Missing}, Want: policy.Fail, Msg: "authorizationType is not set (absent means NONE)"},
		{Name: "lower-case none", Set: map[string]any{"authorizationType": "none"}, Want: policy.Fail, Msg: "anyone can call this route"},
		{Name: "API key is not authentication", Set: map[string]any{"authorizationType": "NONE", "apiKeyRequired": true}, Want: policy.Fail, Msg: "an API key (apiKeyRequired) identifies a usage plan"},
		{Name: "IAM", Set: map[string]any{"authorizationType": "AWS_IAM", "authorizerId": pt.Missing}, Want: policy.Pass},
		{Name: "Lambda authorizer", Set: map[string]any{"authorizationType": "CUSTOM"}, Want: policy.Pass},
		{Name: "JWT without authorizer", Set: map[string]any{"authorizerId": pt.Missing}, Want: policy.Fail, Msg: `authorizationType is "JWT" but authorizerId is not set`},
		{Name: "authorizer computed at preview", Set: map[string]any{"authorizerId": pt.Unknown}, Want: policy.Pass},
		{Name: "authorizer of the wrong type", Set: map[string]any{"authorizerId": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "authorizerId is of type number"},
		{Name: "unsupported type", Set: map[string]any{"authorizationType": "COGNITO_USER_POOLS"}, Want: policy.Fail, Msg: "not one of JWT, CUSTOM or AWS_IAM"},
		{Name: "unknown type", Set: map[string]any{"authorizationType": pt.Unknown}, Want: policy.Undetermined, Msg: "authorizationType cannot be verified until the value is known"},
		{Name: "type of the wrong type", Set: map[string]any{"authorizationType": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "authorizationType is of type bool"},
		{Name: "secret NONE is not shown", Set: map[string]any{"authorizationType": pt.Secret("none")}, Want: policy.Fail, Msg: "authorizationType is [secret]"},
		{Name: "catch-all $default is judged", Set: map[string]any{"routeKey": "$default", "authorizationType": pt.Missing}, Want: policy.Fail, Msg: "anyone can call this route"},
		{Name: "$default says what to do on a WebSocket API", Set: map[string]any{"routeKey": "$default", "authorizationType": "NONE"}, Want: policy.Fail, Msg: "if this is a WebSocket API"},
		{Name: "ANY proxy is judged", Set: map[string]any{"routeKey": "ANY /{proxy+}", "authorizationType": "NONE"}, Want: policy.Fail, Msg: "anyone can call this route"},
		{Name: "WebSocket $connect is judged", Set: map[string]any{"routeKey": "$connect", "authorizationType": "NONE"}, Want: policy.Fail, Msg: "anyone can call this route"},
		{Name: "WebSocket $connect with a Lambda authorizer", Set: map[string]any{"routeKey": "$connect", "authorizationType": "CUSTOM"}, Want: policy.Pass},
		{Name: "CORS preflight", Set: map[string]any{"routeKey": "OPTIONS /{proxy+}", "authorizationType": pt.Missing}, Want: policy.NotApplicable, Msg: "CORS preflight"},
		{Name: "WebSocket $disconnect", Set: map[string]any{"routeKey": "$disconnect", "authorizationType": "NONE"}, Want: policy.NotApplicable, Msg: "only on $connect"},
		{Name: "WebSocket message route", Set: map[string]any{"routeKey": "sendmessage", "authorizationType": "NONE"}, Want: policy.NotApplicable, Msg: `route key "sendmessage" is a WebSocket message route`},
		{Name: "secret message route key is not shown", Set: map[string]any{"routeKey": pt.Secret(canary), "authorizationType": "NONE"}, Want: policy.NotApplicable, Msg: "route key [secret] is a WebSocket message route"},
		{Name: "route key unknown, authenticating anyway", Set: map[string]any{"routeKey": pt.Unknown}, Want: policy.Pass},
		{Name: "route key unknown and open", Set: map[string]any{"routeKey": pt.Unknown, "authorizationType": "NONE"}, Want: policy.Undetermined, Msg: "routeKey cannot be verified until the value is known"},
		{Name: "route key of the wrong type and open", Set: map[string]any{"routeKey": pt.Wrong([]any{"GET /x"}), "authorizationType": "NONE"}, Want: policy.Undetermined, Msg: "routeKey is of type array"},
		{Name: "route key missing is judged", Set: map[string]any{"routeKey": pt.Missing, "authorizationType": "NONE"}, Want: policy.Fail, Msg: "anyone can call this route"},
	})
}

func TestRouteAuthorizationRequiredOnAPI(t *testing.T) {
	const canary = "canary-api-target-5d2a"
	good := map[string]any{"name": "vitals-http", "protocolType": "HTTP", "corsConfiguration": map[string]any{"allowOrigins": []any{"https://app.example.org"}}}
	lambdaARN := "arn:aws:lambda:us-east-1:111122223333:function:ingest"
	pt.Run(t, apigatewayv2.RouteAuthorizationRequired, "apigatewayv2-route-authorization-required", []string{"164.312(a)(1)", "164.312(d)"}, awstypes.APIGatewayV2API, good, []pt.Case{
		{Name: "quick create with a target", Set: map[string]any{"target": lambdaARN}, Want: policy.Fail, Msg: "quick create (target set) makes a catch-all route with no authorization"},
		{Name: "quick create with a route key", Set: map[string]any{"target": lambdaARN, "routeKey": "POST /vitals"}, Want: policy.Fail, Msg: "quick create (target and routeKey set)"},
		{Name: "route key alone", Set: map[string]any{"routeKey": "ANY /{proxy+}"}, Want: policy.Fail, Msg: "quick create (routeKey set)"},
		{Name: "target computed at preview is set", Set: map[string]any{"target": pt.Unknown}, Want: policy.Fail, Msg: "quick create (target set)"},
		{Name: "secret target is not shown", Set: map[string]any{"target": pt.Secret(canary)}, Want: policy.Fail, Msg: "quick create (target set)"},
		{Name: "empty target is not quick create", Set: map[string]any{"target": ""}, Want: policy.Pass},
		{Name: "target of the wrong type", Set: map[string]any{"target": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "target is of type bool"},
		{Name: "route key of the wrong type", Set: map[string]any{"routeKey": pt.Wrong(3)}, Want: policy.Undetermined, Msg: "routeKey is of type number"},
		{Name: "OpenAPI body is not parsed", Set: map[string]any{"body": `{"openapi":"3.0.1","paths":{"/vitals":{"post":{}}}}`}, Want: policy.Undetermined, Msg: "which this pack does not parse"},
		{Name: "OpenAPI body computed at preview", Set: map[string]any{"body": pt.Unknown}, Want: policy.Undetermined, Msg: "which this pack does not parse"},
		{Name: "secret OpenAPI body", Set: map[string]any{"body": pt.Secret(`{"canary":"` + canary + `"}`)}, Want: policy.Undetermined, Msg: "does not parse"},
		{Name: "body of the wrong type", Set: map[string]any{"body": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "body is of type number"},
		{Name: "quick create wins over a body", Set: map[string]any{"target": lambdaARN, "body": "{}"}, Want: policy.Fail, Msg: "quick create"},
		{Name: "WebSocket API without inline routes", Set: map[string]any{"protocolType": "WEBSOCKET", "routeSelectionExpression": "$request.body.action"}, Want: policy.Pass},
		{Name: "protocol type missing", Set: map[string]any{"protocolType": pt.Missing}, Want: policy.Pass},
	})
}
