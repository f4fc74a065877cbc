// Command authorizer is the API Gateway Lambda (TOKEN) authorizer of the patient-monitoring API.
//
// It validates the caller's bearer JWT (RS256 or ES256; issuer, audience, expiry with a bounded
// clock skew; keys from the issuer's JWKS, cached) and allows the routes the token's scopes
// grant (observations:write: POST /observations; vitals:read: GET /patients/{id}/vitals/...),
// passing facilityId and role to the backend. It denies by default, on any error, and entirely
// when its configuration (AUTHORIZER_ISSUER, AUTHORIZER_AUDIENCE, optional AUTHORIZER_JWKS_URL
// and AUTHORIZER_CLOCK_SKEW_SECONDS) is missing or invalid. It is built for the provided.al2023
// runtime on arm64 as a `bootstrap` binary with -tags lambda.norpc (the root Makefile's `lambda`).
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	cfg, err := ConfigFromEnv()
	var a *Authorizer
	if err == nil {
		cfg.Logger = logger
		a, err = New(cfg)
	}
	if err != nil {
		// Fail closed: an authorizer without a valid configuration denies every request.
		logger.Error("authorizer misconfigured: denying every request", "error", err)
		lambda.Start(Handle)
		return
	}
	lambda.Start(a.Handle)
}
