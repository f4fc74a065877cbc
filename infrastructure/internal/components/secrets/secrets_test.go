package secrets_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/secrets"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

func requirePolicyNotPublic(t *testing.T, p mocktest.Resource, secretArn string) {
	t.Helper()
	blocked, ok := p.Bool("blockPublicPolicy")
	require.True(t, ok)
	assert.True(t, blocked, "AWS refuses any public policy")
	assert.Equal(t, secretArn, p.Str("secretArn"))
	doc, err := p.JSON("policy")
	require.NoError(t, err)
	for _, s := range doc["Statement"].([]any) {
		st := s.(map[string]any)
		assert.Equal(t, "Deny", st["Effect"], "the resource policy grants nothing")
		assert.Equal(t, secretArn, st["Resource"])
		assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, st["Condition"])
	}
}

func TestDatabaseSecretIsRDSManagedAndRotated(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:secrets:Secrets")
			dptest.RequireChildren(t, rec, comp)

			cluster := dptest.Only(t, rec, "aws:rds/cluster:Cluster")
			secretArn := cluster.Outputs["masterUserSecrets"].ArrayValue()[0].ObjectValue()["secretArn"].StringValue()
			require.Contains(t, secretArn, ":secret:rds!cluster-")

			rot := dptest.One(t, rec, "aws:secretsmanager/secretRotation:SecretRotation", "secrets-db-master-rotation")
			assert.Equal(t, secretArn, rot.Str("secretId"))
			days, ok := rot.Num("rotationRules.automaticallyAfterDays")
			require.True(t, ok)
			assert.Equal(t, 30.0, days)
			assert.LessOrEqual(t, days, 30.0)
			assert.False(t, rot.Has("rotationLambdaArn"), "managed rotation: RDS rotates, no function")

			requirePolicyNotPublic(t, dptest.One(t, rec, "aws:secretsmanager/secretPolicy:SecretPolicy", "secrets-db-master-policy"), secretArn)

			// Every secret of the stack (none besides RDS's today) uses the secrets key.
			for _, s := range rec.OfType("aws:secretsmanager/secret:Secret") {
				assert.Equal(t, dptest.KeyArn(t, rec, "secrets"), s.Str("kmsKeyId"), s.Name)
			}
		})
	}
}

func TestAppSecretsAreEncryptedRotatedAndPrivate(t *testing.T) {
	const lambdaArn = "arn:aws:lambda:eu-west-1:111122223333:function:hipaa-rotator-dev"
	const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/secrets"
	rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
		_, err := secrets.New(ctx, "secrets", secrets.Args{
			Namer: naming.New("dev"), KmsKeyArn: pulumi.String(keyArn),
			App:    []secrets.AppSecret{{Name: "pseudonym-hmac", Description: "HMAC key", RotationLambdaArn: pulumi.String(lambdaArn)}},
			Config: config.SecretsConfig{RotationDays: 14, RecoveryWindowDays: 30},
		})
		return err
	}, mocktest.Options{Stack: "dev"})
	require.NoError(t, err)
	s := dptest.Only(t, rec, "aws:secretsmanager/secret:Secret")
	assert.Equal(t, "hipaa-pseudonym-hmac-dev", s.Str("name"))
	assert.Equal(t, keyArn, s.Str("kmsKeyId"))
	assert.False(t, s.Has("policy"))
	rd, _ := s.Num("recoveryWindowInDays")
	assert.Equal(t, 30.0, rd)
	assert.Empty(t, rec.OfType("aws:secretsmanager/secretVersion:SecretVersion"), "the value is set by the rotation function, never by the program")
	rot := dptest.Only(t, rec, "aws:secretsmanager/secretRotation:SecretRotation")
	assert.Equal(t, s.ID, rot.Str("secretId"))
	assert.Equal(t, lambdaArn, rot.Str("rotationLambdaArn"))
	days, _ := rot.Num("rotationRules.automaticallyAfterDays")
	assert.Equal(t, 14.0, days)
	requirePolicyNotPublic(t, dptest.Only(t, rec, "aws:secretsmanager/secretPolicy:SecretPolicy"), dptest.Arn(s))
}

func TestSecretsArgsErrors(t *testing.T) {
	tests := []struct {
		name string
		args secrets.Args
		want string
	}{
		{"rotation beyond 30 days", secrets.Args{Config: config.SecretsConfig{RotationDays: 45}},
			"secrets: rotation every 45 days (allowed: 1..30)"},
		{"app secret without rotation function", secrets.Args{KmsKeyArn: pulumi.String("k"),
			App: []secrets.AppSecret{{Name: "x"}}, Config: config.SecretsConfig{RotationDays: 30}},
			`secrets: secret "x": a unique name and a rotation function are required`},
		{"app secret without key", secrets.Args{App: []secrets.AppSecret{{Name: "x", RotationLambdaArn: pulumi.String("l")}},
			Config: config.SecretsConfig{RotationDays: 30}},
			"secrets: the secrets KMS key is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
				_, err := secrets.New(ctx, "secrets", tt.args)
				return err
			}, mocktest.Options{Stack: "dev"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rec.Resources, "nothing half-created")
		})
	}
}

func TestSecretRotationConfig(t *testing.T) {
	rec, err := dptest.Run(t, "dev", map[string]string{"hipaa-pipeline:secretRotationDays": "31"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hipaa-pipeline:secretRotationDays: 31 is out of range (allowed: 1..30 days)")
	assert.Empty(t, rec.Resources)

	rec, err = dptest.Run(t, "dev", map[string]string{"hipaa-pipeline:secretRotationDays": "7"})
	require.NoError(t, err)
	rot := dptest.One(t, rec, "aws:secretsmanager/secretRotation:SecretRotation", "secrets-db-master-rotation")
	days, _ := rot.Num("rotationRules.automaticallyAfterDays")
	assert.Equal(t, 7.0, days)
}
