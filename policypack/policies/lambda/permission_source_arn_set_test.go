package lambda_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lambda"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestPermissionSourceARNSet(t *testing.T) {
	good := map[string]any{
		"action":    "lambda:InvokeFunction",
		"function":  "authorizer-prod",
		"principal": "apigateway.amazonaws.com",
		"sourceArn": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3/authorizers/*",
	}
	pt.Run(t, lambda.PermissionSourceARNSet, "lambda-permission-source-arn-set", []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"}, awstypes.LambdaPermission, good, []pt.Case{
		{Name: "no source", Set: map[string]any{"sourceArn": pt.Missing}, Want: policy.Fail, Msg: "sourceArn is not set for service principal apigateway.amazonaws.com"},
		{Name: "empty source", Set: map[string]any{"sourceArn": ""}, Want: policy.Fail, Msg: "sourceArn is not set"},
		{Name: "source computed (unknown) is set", Set: map[string]any{"sourceArn": pt.Unknown}, Want: policy.Pass},
		{Name: "source secret", Set: map[string]any{"sourceArn": pt.Secret("arn:aws:execute-api:us-east-1:111122223333:hidden/*")}, Want: policy.Pass},
		{Name: "wildcard principal", Set: map[string]any{"principal": "*", "sourceArn": pt.Missing}, Want: policy.Fail, Msg: "principal is * and neither sourceArn nor principalOrgId"},
		{Name: "wildcard principal in org", Set: map[string]any{"principal": "*", "sourceArn": pt.Missing, "principalOrgId": "o-abc123"}, Want: policy.Pass},
		{Name: "account principal", Set: map[string]any{"principal": "111122223333", "sourceArn": pt.Missing}, Want: policy.NotApplicable, Msg: "principal is an account"},
		{Name: "principal unknown", Set: map[string]any{"principal": pt.Unknown}, Want: policy.Undetermined, Msg: "principal cannot be verified"},
		{Name: "principal secret service without source", Set: map[string]any{"principal": pt.Secret("events.amazonaws.com"), "sourceArn": pt.Missing}, Want: policy.Fail, Msg: "service principal [secret]"},
		{Name: "source wrong type", Set: map[string]any{"sourceArn": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "sourceArn is of type bool"},
	})
}
