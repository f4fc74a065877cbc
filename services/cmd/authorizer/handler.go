package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
)

// PrincipalDenied is the principal ID reported for every request the authorizer refuses.
const PrincipalDenied = "denied"

// policyVersion is the IAM policy language version API Gateway expects.
const policyVersion = "2012-10-17"

// Handle (used when the authorizer is not configured) answers every request with an explicit Deny on every method of every
// API (Resource "*"), so a cached answer can never allow another route either. It never reads,
// logs or echoes the caller's token.
func Handle(_ context.Context, _ events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	return denyAll(), nil
}

func denyAll() events.APIGatewayCustomAuthorizerResponse {
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: PrincipalDenied,
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version: policyVersion,
			Statement: []events.IAMPolicyStatement{{
				Action:   []string{"execute-api:Invoke"},
				Effect:   "Deny",
				Resource: []string{"*"},
			}},
		},
	}
}
