// Package testenv gives integration tests (build tag "integration") their real PostgreSQL and
// Redis servers, started on loopback by scripts/testdb.sh (make services-test):
//
//	HIPAA_TEST_PG_DSN          a superuser DSN; each test gets a fresh database of its own
//	HIPAA_TEST_REDIS_ADDR      host:port of Redis; each test gets a key prefix of its own
//	HIPAA_TEST_REDIS_PASSWORD  Redis' password (may be empty)
//
// Without them a test fails when CI is set (a CI that lost its servers must not go green) and
// is skipped, saying how to start them, when run by hand.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

const hint = "start the test servers: scripts/testdb.sh start && . .cache/testdb/env (or run make services-test)"

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

// NewRedis returns a client of the test Redis and a key prefix of the test's own; the keys under
// it are deleted when the test ends.
func NewRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	addr := env(t, "HIPAA_TEST_REDIS_ADDR")
	rdb := redis.NewClient(&redis.Options{Addr: addr, Password: os.Getenv("HIPAA_TEST_REDIS_PASSWORD")})
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
