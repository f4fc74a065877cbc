package secretsmanager_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/secretsmanager"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestSecretRotationConfigured(t *testing.T) {
	signingARN := "arn:aws:secretsmanager:us-east-1:111122223333:secret:authorizer-signing-key-AbCdEf"
	good := []pt.Res{
		{Type: awstypes.SecretsManagerSecret, Name: "signing-key", Props: map[string]any{"name": "authorizer-signing-key", "arn": signingARN}},
		{Type: awstypes.SecretsManagerSecret, Name: "device-token", Props: map[string]any{"name": "device-token"}},
		{Type: awstypes.SecretsManagerSecretRotation, Name: "signing-key-rotation", Props: map[string]any{"secretId": signingARN, "rotationRules": map[string]any{"automaticallyAfterDays": 30}}},
		{Type: awstypes.SecretsManagerSecretRotation, Name: "device-token-rotation", Props: map[string]any{"secretId": pt.Unknown, "rotationRules": map[string]any{"automaticallyAfterDays": 30}}, Deps: map[string][]string{"secretId": {"device-token"}}},
		{Type: awstypes.RDSCluster, Name: "vitals", Props: map[string]any{"engine": "aurora-postgresql", "manageMasterUserPassword": true}},
	}
	pt.RunStack(t, secretsmanager.SecretRotationConfigured, "secretsmanager-secret-rotation-configured", []string{"164.308(a)(4)(ii)(B)"}, good, []pt.StackCase{
		{Name: "no rotation", Remove: []string{"signing-key-rotation"}, Check: "signing-key", Want: policy.Fail, Msg: "no aws:secretsmanager/secretRotation has this secret as secretId"},
		{Name: "rotation of another secret", Target: "signing-key-rotation", Set: map[string]any{"secretId": "arn:aws:secretsmanager:us-east-1:111122223333:secret:other-XyZ"}, Check: "signing-key", Want: policy.Fail, Msg: "no aws:secretsmanager/secretRotation"},
		{Name: "rotation by name", Target: "signing-key-rotation", Set: map[string]any{"secretId": "authorizer-signing-key"}, Check: "signing-key", Want: policy.Pass},
		{Name: "rotation reference unknown", Target: "signing-key-rotation", Set: map[string]any{"secretId": pt.Unknown}, Check: "signing-key", Want: policy.Undetermined, Msg: "secretId of rotation signing-key-rotation cannot be verified until the value is known"},
		{Name: "secret reference secret", Target: "signing-key-rotation", Set: map[string]any{"secretId": pt.Secret(signingARN)}, Check: "signing-key", Want: policy.Pass},
		{Name: "reference of wrong type", Target: "signing-key-rotation", Set: map[string]any{"secretId": pt.Wrong(42)}, Check: "signing-key", Want: policy.Fail, Msg: "no aws:secretsmanager/secretRotation"},
		{Name: "cluster managed flag unknown", Target: "vitals", Set: map[string]any{"manageMasterUserPassword": pt.Unknown}, Want: policy.Undetermined, Msg: "manageMasterUserPassword cannot be verified"},
		{Name: "cluster managed flag as string", Target: "vitals", Set: map[string]any{"manageMasterUserPassword": pt.Wrong("true")}, Want: policy.Pass},
		{Name: "cluster not managed is not judged here", Target: "vitals", Set: map[string]any{"manageMasterUserPassword": pt.Missing}, Check: "device-token", Want: policy.Pass},
	})
}
