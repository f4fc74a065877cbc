//go:build integration

package backends_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/backends"
	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
)

// TestMain trusts the test CA the way a deployed task trusts the ElastiCache CA: runtimecfg
// gives Redis a TLS configuration without RootCAs, i.e. the system roots, and Go on Linux adds
// the certificates of SSL_CERT_FILE to them when it first loads the system pool, so the
// variable is set here, before any TLS is used. PostgreSQL gets the CA through sslrootcert in
// its DSN, like the RDS CA bundle in HIPAA_DB_SSLROOTCERT.
func TestMain(m *testing.M) {
	if ca := os.Getenv("HIPAA_TEST_CA_FILE"); ca != "" {
		if err := os.Setenv("SSL_CERT_FILE", ca); err != nil {
			fmt.Fprintln(os.Stderr, "set SSL_CERT_FILE:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// deployedEnv is a deployed task's environment (no HIPAA_LOCAL_INSECURE, Redis TLS by default)
// towards the test servers: the database's DSN with its host set to host, Redis at host.
func deployedEnv(t *testing.T, dsn, host string) map[string]string {
	t.Helper()
	testenv.Env(t, "HIPAA_TEST_CA_FILE") // the servers speak TLS only with the CA of this start
	_, redisPort, err := net.SplitHostPort(testenv.Env(t, "HIPAA_TEST_REDIS_ADDR"))
	require.NoError(t, err)
	return map[string]string{
		"HIPAA_PG_DSN":         withHost(t, dsn, host),
		"HIPAA_REDIS_ADDR":     net.JoinHostPort(host, redisPort),
		"HIPAA_REDIS_PASSWORD": os.Getenv("HIPAA_TEST_REDIS_PASSWORD"),
		"AWS_REGION":           "eu-west-1",
	}
}

// withHost returns dsn with its host name replaced (the port kept) and its query settings set.
func withHost(t *testing.T, dsn, host string, query ...string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	require.NoError(t, err, "the test DSN is not a URL")
	u.Host = net.JoinHostPort(host, u.Port())
	q := u.Query()
	for i := 0; i+1 < len(query); i += 2 {
		if query[i+1] == "" {
			q.Del(query[i])
		} else {
			q.Set(query[i], query[i+1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func password(t *testing.T, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	require.NoError(t, err, "the test DSN is not a URL")
	p, ok := u.User.Password()
	require.True(t, ok && p != "", "the test DSN has a password")
	return p
}

// TestOpenDeployedTLS starts the way both services start (runtimecfg.Load from a deployed
// environment, then backends.Open) against the TLS-only test servers, under both names of their
// certificate, and checks that the PostgreSQL session really is TLS and that Redis answers on
// its TLS port, the only one it has.
func TestOpenDeployedTLS(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1") // the AWS configuration comes from the task environment
	dsn := testenv.NewDatabase(t)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		t.Run(host, func(t *testing.T) {
			vars := deployedEnv(t, dsn, host)
			cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
			require.NoError(t, err)
			require.NotNil(t, cfg.Redis.TLSConfig, "deployed Redis uses TLS")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			b, err := backends.Open(ctx, cfg, time.Minute)
			require.NoError(t, err)
			defer b.Close()
			require.Equal(t, "eu-west-1", b.AWS.Region)

			var ssl bool
			var version string
			require.NoError(t, b.Store.Pool().QueryRow(ctx,
				"SELECT ssl, coalesce(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Scan(&ssl, &version))
			assert.True(t, ssl, "pg_stat_ssl: the session is TLS")
			assert.Contains(t, []string{"TLSv1.2", "TLSv1.3"}, version)

			// A command through the services' own Redis client (over TLS, or it could not connect).
			got, err := b.Vitals.LatestVitals(ctx, "fac-tls-test", "pt-none")
			require.NoError(t, err)
			assert.Empty(t, got)
		})
	}
}

// TestRedisHasOnlyTheTLSPort asks the server, through the deployed client options, which ports it
// listens on: no clear-text port (0), and the TLS port the client reached.
func TestRedisHasOnlyTheTLSPort(t *testing.T) {
	vars := deployedEnv(t, testenv.Env(t, "HIPAA_TEST_PG_DSN"), "127.0.0.1")
	cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
	require.NoError(t, err)
	opts, err := cfg.RedisOptions(nil)
	require.NoError(t, err)
	rdb := redis.NewClient(opts)
	defer func() { _ = rdb.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, tlsPort, err := net.SplitHostPort(vars["HIPAA_REDIS_ADDR"])
	require.NoError(t, err)

	ports, err := rdb.ConfigGet(ctx, "*port").Result()
	require.NoError(t, err)
	assert.Equal(t, "0", ports["port"], "no clear-text port")
	assert.Equal(t, tlsPort, ports["tls-port"])
}
