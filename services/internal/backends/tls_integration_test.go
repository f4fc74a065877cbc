//go:build integration

package backends_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/backends"
	"github.com/carepulse/hipaa-pipeline/services/internal/runtimecfg"
	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// otherCA writes the PEM certificate of a CA that did not sign the servers' certificate.
func otherCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "not the test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "other-ca.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	return path
}

// toLoopback resolves every host name to the test server's address: a DNS name that points to
// the server but is not in its certificate.
func toLoopback(context.Context, string) ([]string, error) { return []string{"127.0.0.1"}, nil }

// TestPostgresTLSFailures: what the deployed configuration must not connect to, and what the
// server must not accept.
func TestPostgresTLSFailures(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1")
	dsn := testenv.NewDatabase(t)
	secret := password(t, dsn)

	t.Run("certificate of another CA", func(t *testing.T) {
		vars := deployedEnv(t, withHost(t, dsn, "127.0.0.1", "sslrootcert", otherCA(t)), "127.0.0.1")
		cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
		require.NoError(t, err, "verify-full with a root certificate is a valid deployed setting")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b, err := backends.Open(ctx, cfg, time.Minute)
		if err == nil {
			b.Close()
		}
		var unknown x509.UnknownAuthorityError
		require.ErrorAs(t, err, &unknown, "got %v", err)
		assert.NotContains(t, err.Error(), secret)
	})

	t.Run("host name not in the certificate", func(t *testing.T) {
		// The same parsed pool configuration backends.Open uses, with a resolver that sends
		// db.mismatch.test to the server, as a wrong DNS record or an impostor would.
		vars := deployedEnv(t, dsn, "db.mismatch.test")
		cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
		require.NoError(t, err)
		pc, err := cfg.PoolConfig(nil)
		require.NoError(t, err)
		pc.ConnConfig.LookupFunc = toLoopback
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		st, err := store.OpenConfig(ctx, pc)
		if err == nil {
			st.Close()
		}
		var mismatch x509.HostnameError
		require.ErrorAs(t, err, &mismatch, "got %v", err)
		assert.Equal(t, "db.mismatch.test", mismatch.Host)
		assert.NotContains(t, err.Error(), secret)

		// Control: the same resolver and configuration under a name of the certificate connect.
		vars = deployedEnv(t, dsn, "localhost")
		cfg, err = runtimecfg.Load(func(k string) string { return vars[k] })
		require.NoError(t, err)
		pc, err = cfg.PoolConfig(nil)
		require.NoError(t, err)
		pc.ConnConfig.LookupFunc = toLoopback
		st, err = store.OpenConfig(ctx, pc)
		require.NoError(t, err)
		st.Close()
	})

	t.Run("clear text refused by the server", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, withHost(t, dsn, "127.0.0.1", "sslmode", "disable", "sslrootcert", ""))
		if err == nil {
			_ = conn.Close(ctx)
		}
		var pgErr *pgconn.PgError
		require.ErrorAs(t, err, &pgErr, "got %v", err)
		assert.Equal(t, "28000", pgErr.Code, "invalid_authorization_specification (pg_hba)")
		assert.Contains(t, pgErr.Message, "no encryption")
		assert.NotContains(t, err.Error(), secret)
	})

	t.Run("deployed configuration refuses TLS without verification", func(t *testing.T) {
		// The loopback test server, without HIPAA_LOCAL_INSECURE: no exception for loopback.
		for _, mode := range []string{"disable", "prefer", "require"} {
			vars := deployedEnv(t, withHost(t, dsn, "127.0.0.1", "sslmode", mode), "127.0.0.1")
			_, err := runtimecfg.Load(func(k string) string { return vars[k] })
			require.ErrorContains(t, err, "HIPAA_PG_DSN must use sslmode=verify-full (has \""+mode+"\")")
			assert.NotContains(t, err.Error(), secret)
		}
	})
}

// TestRedisTLSFailures: the deployed Redis TLS configuration verifies the server's name, and the
// server accepts no clear text.
func TestRedisTLSFailures(t *testing.T) {
	addr := testenv.Env(t, "HIPAA_TEST_REDIS_ADDR")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	t.Run("host name not in the certificate", func(t *testing.T) {
		vars := deployedEnv(t, testenv.Env(t, "HIPAA_TEST_PG_DSN"), "cache.mismatch.test")
		cfg, err := runtimecfg.Load(func(k string) string { return vars[k] })
		require.NoError(t, err)
		// The client's TLS configuration, dialled to the server the name would wrongly resolve to.
		d := tls.Dialer{Config: cfg.Redis.TLSConfig}
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			_ = conn.Close()
		}
		var mismatch x509.HostnameError
		require.ErrorAs(t, err, &mismatch, "got %v", err)
		assert.Equal(t, "cache.mismatch.test", mismatch.Host)

		// Control: the same configuration under the name of the certificate connects.
		vars = deployedEnv(t, testenv.Env(t, "HIPAA_TEST_PG_DSN"), "localhost")
		cfg, err = runtimecfg.Load(func(k string) string { return vars[k] })
		require.NoError(t, err)
		d = tls.Dialer{Config: cfg.Redis.TLSConfig}
		conn, err = d.DialContext(ctx, "tcp", addr)
		require.NoError(t, err)
		_ = conn.Close()
	})

	t.Run("clear text to the TLS port", func(t *testing.T) {
		// No password: a clear-text client would send it unencrypted.
		rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 2 * time.Second, ReadTimeout: 2 * time.Second})
		defer func() { _ = rdb.Close() }()
		err := rdb.Ping(ctx).Err()
		require.Error(t, err)
		var redisErr redis.Error
		assert.False(t, errors.As(err, &redisErr), "no Redis reply in clear text, got %v", err)
		var netErr net.Error
		if errors.As(err, &netErr) {
			assert.False(t, netErr.Timeout(), "the server closes the connection, it does not hang: %v", err)
		}
	})
}
