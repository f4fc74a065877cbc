package apigatewayv2

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// WebSocketAPIConnectRouteAuthorized: every WebSocket API authenticates at $connect (stack-level).
var WebSocketAPIConnectRouteAuthorized = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigatewayv2-websocket-api-connect-route-authorized",
		Title: "Every WebSocket API has a $connect route that authenticates callers (Lambda authorizer or IAM)",
		Description: "A WebSocket API authenticates a client once, on its $connect route; its message " +
			"routes and $disconnect cannot carry an authorizer (apigatewayv2-route-authorization-required " +
			"reads them as not applicable for that reason). A WebSocket API with no $connect route " +
			"accepts every connection, so every message route is open to anyone, yet no route " +
			"resource fails. Stack-level: for each aws:apigatewayv2/api with protocolType WEBSOCKET, " +
			"an aws:apigatewayv2/route whose apiId names the API (property dependency or ID) must have " +
			"routeKey $connect and authorizationType CUSTOM or JWT with an authorizerId, or AWS_IAM " +
			"(judged as that policy judges a route). HTTP APIs are not applicable (their routes are " +
			"judged one by one). A protocolType, an apiId or a routeKey not known yet (preview) is " +
			"undetermined unless an authenticating $connect route is found anyway.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(1)", "164.312(d)"},
		ResourceTypes: []string{awstypes.APIGatewayV2API, awstypes.APIGatewayV2Route},
		Remediation: `Add an aws.apigatewayv2.Route {apiId: api.id, routeKey: "$connect", authorizationType: "CUSTOM", ` +
			`authorizerId: <REQUEST authorizer>.id} (or authorizationType "AWS_IAM") to every WebSocket API.`,
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html",
		},
		Engine: policy.EngineGo,
	},
	Stack: webSocketConnectRoutes,
}

func webSocketConnectRoutes(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	routes := s.OfType(awstypes.APIGatewayV2Route)
	return stackref.Judge(s.OfType(awstypes.APIGatewayV2API), func(api policy.Resource) policy.Result {
		return judgeWebSocketAPI(s, api, routes)
	})
}

func judgeWebSocketAPI(s *stackref.Stack, api policy.Resource, routes []policy.Resource) policy.Result {
	protocol, present, res := check.String(api.Properties, "protocolType")
	switch {
	case res != nil:
		return *res
	case !present:
		return policy.UndeterminedBecause("protocolType is not set; whether this is a WebSocket API cannot be told")
	case !strings.EqualFold(strings.TrimSpace(protocol), "WEBSOCKET"):
		return policy.NotApplicableBecause("protocolType is %s, not WEBSOCKET: the routes of an HTTP API are judged one by one by apigatewayv2-route-authorization-required",
			check.Show(api.Properties, "protocolType", protocol))
	}
	found, unresolved := s.ReferredBy(api, routes, "apiId")
	var failures, undetermined []policy.Result
	for _, r := range found {
		key, present, res := check.String(r.Properties, "routeKey")
		switch {
		case res != nil:
			undetermined = append(undetermined, *check.Within("route "+r.Name+": ", res))
			continue
		case !present || strings.TrimSpace(key) != "$connect":
			continue
		}
		verdict := authorization(r)
		switch verdict.Status {
		case policy.Pass:
			return policy.Passed()
		case policy.Fail:
			failures = append(failures, *check.Within("$connect route "+r.Name+": ", &verdict))
		default:
			undetermined = append(undetermined, *check.Within("$connect route "+r.Name+": ", &verdict))
		}
	}
	for _, r := range unresolved {
		undetermined = append(undetermined, policy.UndeterminedBecause("apiId of route %s cannot be verified until the value is known; it may be this API's $connect route", r.Name))
	}
	switch {
	case len(failures) > 0:
		// An API has at most one route per route key: no other route can be its $connect.
		return policy.Merge(failures...)
	case len(undetermined) > 0:
		// An unreadable route may be the authenticating $connect route.
		return policy.Merge(undetermined...)
	}
	return policy.Failed("this WebSocket API has no $connect route: API Gateway accepts every connection without authenticating, so all its routes are open to anyone")
}
