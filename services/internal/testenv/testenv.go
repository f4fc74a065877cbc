// Package testenv gives integration tests (build tag "integration") their real PostgreSQL and
// Redis servers, started on loopback by scripts/testdb.sh (make services-test):
//
//	HIPAA_TEST_PG_DSN          a superuser DSN (sslmode=verify-full, sslrootcert the test CA: the
//	                           server takes TCP connections over TLS only); each test gets a
//	                           fresh database of its own
//	HIPAA_TEST_REDIS_ADDR      host:port of Redis (TLS only); each test gets a key prefix of its own
//	HIPAA_TEST_REDIS_PASSWORD  Redis' password (may be empty)
//	HIPAA_TEST_CA_FILE         PEM of the throw-away CA that signed both servers' certificate (for
//	                           IP 127.0.0.1 and DNS localhost); when set, NewRedis uses TLS
//
// Without them a test fails when CI is set (a CI that lost its servers must not go green) and
// is skipped, saying how to start them, when run by hand.
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

const hint = "start the test servers: scripts/testdb.sh start && . .cache/testdb/env (or run make services-test)"

// Env is the variable name of the test environment; without it the test fails in CI and is
// skipped by hand, like NewDatabase and NewRedis.
func Env(t testing.TB, name string) string {
	t.Helper()
	return env(t, name)
}

func env(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v != "" {
		return v
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not set in CI: the integration tests need their real servers (%s)", name, hint)
	}
	t.Skipf("%s is not set: %s", name, hint)
	return ""
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return prefix + hex.EncodeToString(b)
}

// NewDatabase creates an empty database for the test and returns its DSN; it is dropped when
// the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := env(t, "HIPAA_TEST_PG_DSN")
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal("HIPAA_TEST_PG_DSN is not a postgres:// URL") // never print the DSN: it holds a password
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to the test PostgreSQL: %v", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	name := randomName("t_")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer func() { _ = c.Close(context.Background()) }()
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// TLSConfig trusts only the test CA (HIPAA_TEST_CA_FILE) and verifies the host of addr.
func TLSConfig(t testing.TB, addr string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(env(t, "HIPAA_TEST_CA_FILE"))
	if err != nil {
		t.Fatalf("read the test CA: %v", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("HIPAA_TEST_CA_FILE holds no PEM certificate")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%q is not host:port: %v", addr, err)
	}
	return &tls.Config{RootCAs: roots, ServerName: host, MinVersion: tls.VersionTLS12}
}

// NewRedis returns a client of the test Redis and a key prefix of the test's own; the keys under
// it are deleted when the test ends.
func NewRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	addr := env(t, "HIPAA_TEST_REDIS_ADDR")
	opts := &redis.Options{Addr: addr, Password: os.Getenv("HIPAA_TEST_REDIS_PASSWORD")}
	if os.Getenv("HIPAA_TEST_CA_FILE") != "" {
		opts.TLSConfig = TLSConfig(t, addr)
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("reach the test Redis at %s: %v", addr, err)
	}
	prefix := randomName("test/") + "/"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			_ = rdb.Del(ctx, iter.Val()).Err()
		}
		_ = rdb.Close()
	})
	return rdb, prefix
}
