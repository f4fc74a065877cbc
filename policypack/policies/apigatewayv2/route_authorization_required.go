package apigatewayv2

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// RouteAuthorizationRequired: HTTP and WebSocket API routes authenticate callers.
var RouteAuthorizationRequired = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigatewayv2-route-authorization-required",
		Title: "API Gateway HTTP and WebSocket routes authenticate callers (JWT, Lambda authorizer or IAM)",
		Description: "The v2 counterpart of apigateway-method-authorization-required. Every route " +
			"that can carry ePHI must authenticate the caller before the request reaches the " +
			"integration: authorizationType JWT or CUSTOM (a Lambda authorizer), each with an " +
			"authorizerId, or AWS_IAM (SigV4). NONE, or no authorizationType (which means NONE), " +
			"lets anyone call it; an API key (apiKeyRequired) identifies a usage plan, not a caller. " +
			"Not applicable: OPTIONS routes (\"OPTIONS /path\"), which answer CORS preflight " +
			"requests that browsers send without credentials; and WebSocket routes other than " +
			"$connect ($disconnect and message routes such as \"sendmessage\"), on which API " +
			"Gateway supports no authorizer because the connection was authenticated at $connect. " +
			"$default is judged as the catch-all route of an HTTP API (the route does not say which " +
			"kind of API it belongs to; a WebSocket $default route needs a suppression). " +
			"The API itself (aws:apigatewayv2/api) is judged too, since it can define routes no route " +
			"resource shows: quick create (target and/or routeKey set) makes a catch-all route " +
			"($default, or the routeKey given) with no authorization, so it fails; an OpenAPI document " +
			"(body) carries its routes' authorization in the document, which this pack does not parse, " +
			"so it is undetermined (advisory) and must be reviewed; an API with neither passes (its " +
			"routes are route resources, judged one by one).",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(1)", "164.312(d)"},
		ResourceTypes: []string{awstypes.APIGatewayV2Route, awstypes.APIGatewayV2API},
		Remediation: `Set authorizationType to "JWT" (HTTP APIs, an OIDC/Cognito issuer) or "CUSTOM" (a Lambda ` +
			`authorizer) with authorizerId, or "AWS_IAM" for service callers, on every aws.apigatewayv2.Route ` +
			`(on a WebSocket API: on its $connect route). Do not use quick create (target, routeKey) on an ` +
			`aws.apigatewayv2.Api: declare its routes as aws.apigatewayv2.Route resources with an authorizer; ` +
			`an API imported from an OpenAPI body needs a security requirement on every operation, reviewed by hand.`,
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-control-access.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html",
		},
		Engine: policy.EngineGo,
	},
	Resource: routeAuthorizationRequired,
}

// httpMethods are the first words of an HTTP API route key ("GET /vitals", "ANY /{proxy+}").
var httpMethods = map[string]bool{
	"ANY": true, "GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true,
}

// authenticating are the authorization types that authenticate the caller; the ones in
// needsAuthorizer do so only with an authorizer attached.
var (
	authenticating  = map[string]bool{"AWS_IAM": true, "CUSTOM": true, "JWT": true}
	needsAuthorizer = map[string]bool{"CUSTOM": true, "JWT": true}
)

func routeAuthorizationRequired(_ policy.Env, r policy.Resource) policy.Result {
	if r.Type == awstypes.APIGatewayV2API {
		return apiDefinesNoOpenRoute(r)
	}
	key, present, keyRes := check.String(r.Properties, "routeKey")
	if present {
		if na := exempt(r, strings.TrimSpace(key)); na != nil {
			return *na
		}
	}
	verdict := authorization(r)
	// A route whose key cannot be read may be an exempt one (OPTIONS, a WebSocket message
	// route): only a route that authenticates anyway is decided.
	if keyRes != nil && verdict.Status != policy.Pass {
		return *keyRes
	}
	if verdict.Status == policy.Fail && present && strings.TrimSpace(key) == "$default" {
		verdict.Messages = append(verdict.Messages, "$default is judged as the catch-all route of an HTTP API; "+
			"if this is a WebSocket API, whose $default route cannot carry an authorizer, authenticate on "+
			"$connect and record a suppression for this route saying so")
	}
	return verdict
}

// authorization judges the route's authorizationType and authorizerId.
func authorization(r policy.Resource) policy.Result {
	authType, st := props.String(r.Properties, "authorizationType")
	switch st {
	case props.Unknown, props.WrongType:
		return *check.Undetermined(r.Properties, "authorizationType", st, "a string")
	case props.Missing:
		authType = "NONE"
	}
	shown := check.Show(r.Properties, "authorizationType", `"`+authType+`"`)
	if st == props.Missing {
		shown = "not set"
	}
	t := strings.ToUpper(strings.TrimSpace(authType))
	switch {
	case t == "NONE" || t == "":
		apiKey, _ := props.Bool(r.Properties, "apiKeyRequired")
		if apiKey {
			return policy.Failed("authorizationType is %s (NONE): anyone can call this route; an API key (apiKeyRequired) identifies a usage plan, not a caller, and is not authentication", shown)
		}
		return policy.Failed("authorizationType is %s (absent means NONE): anyone can call this route without authenticating", shown)
	case !authenticating[t]:
		return policy.Failed("authorizationType is %s, not one of JWT, CUSTOM or AWS_IAM", shown)
	case needsAuthorizer[t]:
		set, res := check.Set(r.Properties, "authorizerId")
		if res != nil {
			return *res
		}
		if !set {
			return policy.Failed("authorizationType is %s but authorizerId is not set: no authorizer checks the caller", shown)
		}
	}
	return policy.Passed()
}

// exempt returns the not-applicable result of a route the policy does not judge, or nil.
func exempt(r policy.Resource, key string) *policy.Result {
	method, _, spaced := strings.Cut(key, " ")
	var na policy.Result
	switch {
	case spaced && strings.EqualFold(method, "OPTIONS"):
		na = policy.NotApplicableBecause("OPTIONS routes answer CORS preflight requests, which browsers send without credentials")
	case key == "$disconnect":
		na = policy.NotApplicableBecause("$disconnect is a WebSocket route: API Gateway supports authorization only on $connect, where the connection is authenticated")
	case !spaced && key != "" && !strings.HasPrefix(key, "$") && !httpMethods[strings.ToUpper(key)]:
		na = policy.NotApplicableBecause("route key %s is a WebSocket message route: API Gateway supports authorization only on $connect, where the connection is authenticated", check.Show(r.Properties, "routeKey", `"`+key+`"`))
	default:
		return nil
	}
	return &na
}

// apiDefinesNoOpenRoute judges the routes an API defines itself: by quick create (target,
// routeKey), which makes a route with no authorization, or in an OpenAPI body, not parsed here.
func apiDefinesNoOpenRoute(r policy.Resource) policy.Result {
	var quick []string
	for _, path := range []string{"target", "routeKey"} {
		// An unknown value is set (an integration ARN computed at preview): check.Set.
		set, res := check.Set(r.Properties, path)
		if res != nil {
			return *res
		}
		if set {
			quick = append(quick, path)
		}
	}
	if len(quick) > 0 {
		return policy.Failed("quick create (%s set) makes a catch-all route with no authorization: anyone can call "+
			"it without authenticating; the route of a quick-created API cannot carry an authorizer in this resource",
			strings.Join(quick, " and "))
	}
	body, res := check.Set(r.Properties, "body")
	if res != nil {
		return *res
	}
	if body {
		return policy.UndeterminedBecause("body (an OpenAPI document) defines routes whose authorization is in the " +
			"document, which this pack does not parse: check that every operation has a security requirement " +
			"(a JWT or Lambda authorizer, or AWS_IAM) before relying on this API")
	}
	return policy.Passed()
}
