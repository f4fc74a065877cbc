package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHandleDeniesEveryRequest(t *testing.T) {
	const canary = "Bearer canary-token-1b47061264138c4ac30d75fd1eb44270"
	tests := []struct {
		name string
		req  events.APIGatewayCustomAuthorizerRequest
	}{
		{name: "empty request", req: events.APIGatewayCustomAuthorizerRequest{}},
		{name: "well-formed bearer token", req: events.APIGatewayCustomAuthorizerRequest{
			Type:               "TOKEN",
			AuthorizationToken: canary,
			MethodArn:          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/patients/p1/vitals/latest",
		}},
		{name: "ingest route", req: events.APIGatewayCustomAuthorizerRequest{
			Type:               "TOKEN",
			AuthorizationToken: "allow",
			MethodArn:          "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/observations",
		}},
		{name: "malformed method ARN", req: events.APIGatewayCustomAuthorizerRequest{
			Type: "TOKEN", AuthorizationToken: "x", MethodArn: "not-an-arn",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := Handle(context.Background(), tt.req)
			require.NoError(t, err)
			assert.Equal(t, PrincipalDenied, resp.PrincipalID)
			assert.Equal(t, "2012-10-17", resp.PolicyDocument.Version)
			require.Len(t, resp.PolicyDocument.Statement, 1)
			st := resp.PolicyDocument.Statement[0]
			assert.Equal(t, "Deny", st.Effect)
			assert.Equal(t, []string{"execute-api:Invoke"}, st.Action)
			assert.Equal(t, []string{"*"}, st.Resource)
			assert.Empty(t, resp.Context, "no context is passed to the backend")
			assert.Empty(t, resp.UsageIdentifierKey)

			encoded, err := json.Marshal(resp)
			require.NoError(t, err)
			assert.NotContains(t, string(encoded), "Allow")
			assert.False(t, strings.Contains(string(encoded), "canary-token"), "the token is never echoed")
		})
	}
}
