package logging_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

const keyArn = "arn:aws:kms:eu-west-1:111122223333:key/mock-logs"

func TestNewLogGroup(t *testing.T) {
	s := logging.Settings{Namer: naming.New("prod"), KmsKeyArn: pulumi.String(keyArn), RetentionDays: 2192}
	rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
		if _, err := logging.NewLogGroup(ctx, "stream-processor-logs", s.Args("stream", "processor")); err != nil {
			return err
		}
		_, err := logging.NewLogGroup(ctx, "api-waf-logs", s.ArgsNamed(s.Namer.PhysicalWithPrefix("aws-waf-logs-", "api")))
		return err
	}, mocktest.Options{Stack: "prod"})
	require.NoError(t, err)
	groups := rec.OfType("aws:cloudwatch/logGroup:LogGroup")
	require.Len(t, groups, 2)
	g, ok := rec.One("aws:cloudwatch/logGroup:LogGroup", "stream-processor-logs")
	require.True(t, ok)
	assert.Equal(t, "/hipaa/stream/processor-prod", g.Str("name"))
	assert.Equal(t, keyArn, g.Str("kmsKeyId"))
	days, _ := g.Num("retentionInDays")
	assert.Equal(t, 2192.0, days)
	assert.Equal(t, "/hipaa/stream/processor-prod", g.Str("tags.Name"))
	w, ok := rec.One("aws:cloudwatch/logGroup:LogGroup", "api-waf-logs")
	require.True(t, ok)
	assert.Equal(t, "aws-waf-logs-hipaa-api-prod", w.Str("name"))
	assert.Equal(t, keyArn, w.Str("kmsKeyId"))
}

func TestNewLogGroupRefusesUnsafeArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		args logging.Args
		want string
	}{
		{"no key", logging.Args{Name: "/hipaa/x-dev", RetentionDays: 90},
			"log group lg: the logs KMS key ARN is required (log groups are always encrypted with it)"},
		{"never expire", logging.Args{Name: "/hipaa/x-dev", KmsKeyArn: pulumi.String(keyArn), RetentionDays: 0},
			"log group lg: retention 0 days is not a CloudWatch Logs retention period (allowed: [1 3 5 7 14 30 60 90 120 150 180 365 400 545 731 1096 1827 2192 2557 2922 3288 3653])"},
		{"no name", logging.Args{KmsKeyArn: pulumi.String(keyArn), RetentionDays: 90},
			"log group lg: a physical name is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
				_, err := logging.NewLogGroup(ctx, "lg", tc.args)
				return err
			}, mocktest.Options{Stack: "dev"})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.OfType("aws:cloudwatch/logGroup:LogGroup"), "nothing is created")
		})
	}
}
