//go:build integration

package backends_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/backends"
	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
)

// TestOpenConnectsToBothStores opens the deployed services' backends against the loopback test
// servers (local mode, no TLS) and checks each one answers.
func TestOpenConnectsToBothStores(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1") // the AWS configuration comes from the task environment
	dsn := testenv.NewDatabase(t)
	testenv.NewRedis(t) // fails (or skips by hand) when the test Redis is not there
	vars := map[string]string{
		"HIPAA_LOCAL_INSECURE": "true",
		"HIPAA_PG_DSN":         dsn,
		"HIPAA_REDIS_ADDR":     os.Getenv("HIPAA_TEST_REDIS_ADDR"),
		"HIPAA_REDIS_PASSWORD": os.Getenv("HIPAA_TEST_REDIS_PASSWORD"),
		"HIPAA_REDIS_TLS":      "false",
		"AWS_REGION":           "eu-west-1",
	}
	cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	b, err := backends.Open(ctx, cfg, time.Minute)
	require.NoError(t, err)
	defer b.Close()

	require.NoError(t, b.Store.Pool().Ping(ctx))
	require.Equal(t, "eu-west-1", b.AWS.Region)
	require.NotNil(t, b.Vitals)
}
