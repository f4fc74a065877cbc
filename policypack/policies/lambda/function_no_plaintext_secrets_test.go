package lambda_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lambda"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestFunctionNoPlaintextSecrets(t *testing.T) {
	const canary = "canary-lambda-Pa55w0rd-41c2"
	good := map[string]any{
		"runtime": "provided.al2023",
		"handler": "bootstrap",
		"role":    "arn:aws:iam::111122223333:role/authorizer",
		"environment": map[string]any{"variables": map[string]any{
			"AUTHORIZER_ISSUER":      "https://idp.example.org/",
			"AUTHORIZER_AUDIENCE":    "vitals-api",
			"DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db",
			"SIGNING_KEY":            "",
			"LOG_LEVEL":              pt.Secret("canary-log-level-info"),
		}},
	}
	pt.Run(t, lambda.FunctionNoPlaintextSecrets, "lambda-function-no-plaintext-secrets", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"}, awstypes.LambdaFunction, good, []pt.Case{
		{Name: "plain password", Set: map[string]any{`environment.variables.DB_PASSWORD`: canary}, Want: policy.Fail, Msg: "environment.variables DB_PASSWORD looks like a credential but is given as a plain (non-secret) value"},
		{Name: "plain signing key", Set: map[string]any{`environment.variables.SIGNING_KEY`: canary}, Want: policy.Fail, Msg: "SIGNING_KEY looks like a credential but is given as a plain"},
		{Name: "dashed api key name", Set: map[string]any{`environment.variables["partner-api-key"]`: canary}, Want: policy.Fail, Msg: "partner-api-key"},
		{Name: "plain number is still plain", Set: map[string]any{`environment.variables.PIN_TOKEN`: pt.Wrong(1234)}, Want: policy.Fail, Msg: "PIN_TOKEN"},
		{Name: "empty value holds no credential", Set: map[string]any{`environment.variables.DB_PASSWORD`: ""}, Want: policy.Pass},
		{Name: "empty secret value holds no credential", Set: map[string]any{`environment.variables.DB_PASSWORD`: pt.Secret("")}, Want: policy.Pass},
		{Name: "secret password is still in the configuration", Set: map[string]any{`environment.variables.DB_PASSWORD`: pt.Secret(canary)}, Want: policy.Fail,
			Msg: "environment.variables DB_PASSWORD looks like a credential: marked secret, it is encrypted in the Pulumi state, but Lambda returns environment values in clear"},
		{Name: "whole environment secret: names not shown", Set: map[string]any{"environment": pt.Secret(map[string]any{"variables": map[string]any{"DB_PASSWORD": canary, "API_KEY": canary, "LOG_LEVEL": "info"}})}, Want: policy.Fail,
			Msg: "2 environment variable(s) look like credentials (not named: the environment is a secret)"},
		{Name: "variables secret: names not shown", Set: map[string]any{"environment.variables": pt.Secret(map[string]any{"DB_PASSWORD": canary})}, Want: policy.Fail, Msg: "1 environment variable(s) look like credentials (not named"},
		{Name: "secret environment without credentials", Set: map[string]any{"environment": pt.Secret(map[string]any{"variables": map[string]any{"LOG_LEVEL": "info"}})}, Want: policy.Pass},
		{Name: "secret environment with an unknown credential", Set: map[string]any{"environment.variables": pt.Secret(map[string]any{"DB_PASSWORD": pt.Unknown})}, Want: policy.Undetermined, Msg: "1 environment variable(s) look like credentials (not named: the environment is a secret) and their values are not known yet"},
		{Name: "reference names are not credentials", Set: map[string]any{`environment.variables.SIGNING_KEY_ID`: "alias/signing", `environment.variables.API_TOKEN_SECRET_ARN`: "arn:aws:secretsmanager:us-east-1:111122223333:secret:x"}, Want: policy.Pass},
		{Name: "unknown credential value", Set: map[string]any{`environment.variables.DB_PASSWORD`: pt.Unknown}, Want: policy.Undetermined, Msg: "DB_PASSWORD looks like a credential and its value is not known yet; unless it is empty"},
		{Name: "unknown ordinary value", Set: map[string]any{`environment.variables.STREAM_NAME`: pt.Unknown}, Want: policy.Pass},
		{Name: "plain beats unknown", Set: map[string]any{`environment.variables.DB_PASSWORD`: pt.Unknown, `environment.variables.API_KEY`: canary}, Want: policy.Fail, Msg: "API_KEY"},
		{Name: "no environment", Set: map[string]any{"environment": pt.Missing}, Want: policy.NotApplicable, Msg: "no environment variables"},
		{Name: "no variables", Set: map[string]any{"environment.variables": pt.Missing}, Want: policy.NotApplicable, Msg: "no environment variables"},
		{Name: "environment unknown", Set: map[string]any{"environment": pt.Unknown}, Want: policy.Undetermined, Msg: "environment cannot be verified until the value is known"},
		{Name: "variables unknown", Set: map[string]any{"environment.variables": pt.Unknown}, Want: policy.Undetermined, Msg: "environment.variables cannot be verified until the value is known"},
		{Name: "environment a string", Set: map[string]any{"environment": pt.Wrong("DB_PASSWORD=x")}, Want: policy.Undetermined, Msg: "environment is of type string"},
		{Name: "variables a list", Set: map[string]any{"environment.variables": pt.Wrong([]any{"DB_PASSWORD"})}, Want: policy.Undetermined, Msg: "environment.variables is of type array"},
	})
}
