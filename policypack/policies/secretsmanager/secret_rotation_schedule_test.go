package secretsmanager_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/secretsmanager"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestSecretRotationSchedule(t *testing.T) {
	good := map[string]any{
		"secretId":          "arn:aws:secretsmanager:us-east-1:111122223333:secret:authorizer-signing-key-AbCdEf",
		"rotationLambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:rotate-signing-key",
		"rotationRules":     map[string]any{"automaticallyAfterDays": 30},
	}
	const days, expr = "rotationRules.automaticallyAfterDays", "rotationRules.scheduleExpression"
	pt.Run(t, secretsmanager.SecretRotationSchedule, "secretsmanager-secret-rotation-schedule", []string{"164.308(a)(4)(ii)(B)"}, awstypes.SecretsManagerSecretRotation, good, []pt.Case{
		{Name: "too rare", Set: map[string]any{days: 120}, Want: policy.Fail, Msg: "rotationRules.automaticallyAfterDays is 120, above the allowed maximum of 90"},
		{Name: "configured maximum", Set: map[string]any{days: 45}, Params: map[string]any{secretsmanager.MaxRotationDaysParam: 30}, Want: policy.Fail, Msg: "maximum of 30"},
		{Name: "no schedule", Set: map[string]any{days: pt.Missing}, Want: policy.Fail, Msg: "rotationRules sets neither automaticallyAfterDays nor scheduleExpression"},
		{Name: "rate days ok", Set: map[string]any{days: pt.Missing, expr: "rate(30 days)"}, Want: policy.Pass},
		{Name: "rate days too long", Set: map[string]any{days: pt.Missing, expr: "rate(180 days)"}, Want: policy.Fail, Msg: "rotationRules.scheduleExpression rate(180 days) rotates every 180 days"},
		{Name: "rate hours", Set: map[string]any{days: pt.Missing, expr: "rate(4 hours)"}, Want: policy.Pass},
		{Name: "cron monthly", Set: map[string]any{days: pt.Missing, expr: "cron(0 3 1 * ? *)"}, Want: policy.Pass},
		{Name: "cron weekly", Set: map[string]any{days: pt.Missing, expr: "cron(0 3 ? * SUN *)"}, Params: map[string]any{secretsmanager.MaxRotationDaysParam: 7}, Want: policy.Pass},
		{Name: "cron quarterly cannot be bounded", Set: map[string]any{days: pt.Missing, expr: "cron(0 3 1 1,4,7,10 ? *)"}, Want: policy.Undetermined, Msg: "rotationRules.scheduleExpression cannot be interpreted: the cron month field"},
		{Name: "garbage expression", Set: map[string]any{days: pt.Missing, expr: "every month"}, Want: policy.Undetermined, Msg: "neither a rate() nor a cron()"},
		{Name: "days unknown", Set: map[string]any{days: pt.Unknown}, Want: policy.Undetermined, Msg: "rotationRules.automaticallyAfterDays cannot be verified until the value is known"},
		{Name: "rules unknown", Set: map[string]any{"rotationRules": pt.Unknown}, Want: policy.Undetermined, Msg: "cannot be verified until the value is known"},
		{Name: "days secret too long", Set: map[string]any{days: pt.Secret(365)}, Want: policy.Fail, Msg: "automaticallyAfterDays is [secret]"},
		{Name: "secret expression not shown", Set: map[string]any{days: pt.Missing, expr: pt.Secret("rate(400 days)")}, Want: policy.Fail, Msg: "scheduleExpression [secret] rotates every 400 days"},
		{Name: "days as string", Set: map[string]any{days: pt.Wrong("30")}, Want: policy.Pass},
		{Name: "days as bool", Set: map[string]any{days: pt.Wrong(true)}, Want: policy.Undetermined, Msg: "rotationRules.automaticallyAfterDays is of type bool"},
		{Name: "rotation disabled", Set: map[string]any{"rotationEnabled": false}, Want: policy.Fail, Msg: "rotationEnabled is false"},
	})
}
