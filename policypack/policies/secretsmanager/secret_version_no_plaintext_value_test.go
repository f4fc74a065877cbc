package secretsmanager_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/secretsmanager"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestSecretVersionNoPlaintextValue(t *testing.T) {
	const canary = "canary-secret-version-77ab"
	good := map[string]any{"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner", "secretString": pt.Secret(canary)}
	unknownSecret := resource.NewProperty(resource.Output{Known: false, Secret: true})
	pt.Run(t, secretsmanager.SecretVersionNoPlaintextValue, "secretsmanager-secret-version-no-plaintext-value", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(a)(2)(iv)"}, awstypes.SecretsManagerSecretVersion, good, []pt.Case{
		{Name: "plain string", Set: map[string]any{"secretString": canary}, Want: policy.Fail, Msg: "secretString is given as a plain (non-secret) value"},
		{Name: "plain JSON document", Set: map[string]any{"secretString": `{"password":"` + canary + `"}`}, Want: policy.Fail, Msg: "secretString is given as a plain"},
		{Name: "plain binary", Set: map[string]any{"secretString": pt.Missing, "secretBinary": "Y2FuYXJ5LWJpbmFyeQ=="}, Want: policy.Fail, Msg: "secretBinary is given as a plain"},
		{Name: "secret binary", Set: map[string]any{"secretString": pt.Missing, "secretBinary": pt.Secret("Y2FuYXJ5LWJpbmFyeQ==")}, Want: policy.Pass},
		{Name: "one plain of two", Set: map[string]any{"secretBinary": "Y2FuYXJ5LWJpbmFyeQ=="}, Want: policy.Fail, Msg: "secretBinary"},
		{Name: "plain object is still plain", Set: map[string]any{"secretString": pt.Wrong(map[string]any{"password": canary})}, Want: policy.Fail, Msg: "secretString is given as a plain"},
		{Name: "plain number is still plain", Set: map[string]any{"secretString": pt.Wrong(123456)}, Want: policy.Fail, Msg: "secretString is given as a plain"},
		{Name: "secret of an unexpected type", Set: map[string]any{"secretString": pt.Secret(pt.Wrong(map[string]any{"password": canary}))}, Want: policy.Pass},
		{Name: "unknown at preview", Set: map[string]any{"secretString": pt.Unknown}, Want: policy.Undetermined, Msg: "secretString cannot be verified to be secret until the value is known"},
		{Name: "unknown but known to be secret", Set: map[string]any{"secretString": unknownSecret}, Want: policy.Pass},
		{Name: "empty value", Set: map[string]any{"secretString": ""}, Want: policy.NotApplicable, Msg: "neither secretString nor secretBinary is set"},
		{Name: "no value", Set: map[string]any{"secretString": pt.Missing}, Want: policy.NotApplicable, Msg: "neither secretString nor secretBinary is set"},
	})
}
