// Package runtimecfg reads the deployed services' connection settings from the environment (ECS
// injects the secrets from Secrets Manager as variables) and enforces TLS to PostgreSQL and
// Redis: a deployed service never talks to a data store in clear text.
//
//	HIPAA_PG_DSN          postgres:// URL; sslmode must be verify-full (or verify-ca)
//	HIPAA_REDIS_ADDR      host:port of the ElastiCache primary endpoint
//	HIPAA_REDIS_PASSWORD  Redis AUTH token (optional)
//	HIPAA_REDIS_TLS       "true" (default); "false" only with HIPAA_LOCAL_INSECURE=true
//	HIPAA_LOCAL_INSECURE  "true" allows sslmode=disable and Redis without TLS, for a laptop
//	                      against loopback servers only
package runtimecfg

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/redis/go-redis/v9"
)

// Config is what the services need to reach their stores.
type Config struct {
	PostgresDSN string
	Redis       *redis.Options
}

// String never shows a secret.
func (c Config) String() string {
	return fmt.Sprintf("runtimecfg.Config{PostgresDSN: [redacted], Redis: %s}", c.Redis.Addr)
}

// Load reads and checks the configuration; getenv is os.Getenv in production.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	local := getenv("HIPAA_LOCAL_INSECURE") == "true"
	dsn := getenv("HIPAA_PG_DSN")
	u, err := url.Parse(dsn)
	switch {
	case dsn == "":
		errs = append(errs, errors.New("HIPAA_PG_DSN is not set"))
	case err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "":
		errs = append(errs, errors.New("HIPAA_PG_DSN is not a postgres:// URL")) // never quote it: it holds a password
	default:
		mode := u.Query().Get("sslmode")
		localOK := local && isLoopback(u.Hostname())
		if mode != "verify-full" && mode != "verify-ca" && !localOK {
			errs = append(errs, fmt.Errorf("HIPAA_PG_DSN must use sslmode=verify-full (has %q)", mode))
		}
	}
	addr := getenv("HIPAA_REDIS_ADDR")
	host, _, err := net.SplitHostPort(addr)
	if addr == "" || err != nil || host == "" {
		errs = append(errs, errors.New("HIPAA_REDIS_ADDR must be host:port"))
	}
	opts := &redis.Options{Addr: addr, Password: getenv("HIPAA_REDIS_PASSWORD")}
	switch getenv("HIPAA_REDIS_TLS") {
	case "", "true":
		opts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: host}
	case "false":
		if !local || !isLoopback(host) {
			errs = append(errs, errors.New("HIPAA_REDIS_TLS=false is allowed only with HIPAA_LOCAL_INSECURE=true and a loopback Redis"))
		}
	default:
		errs = append(errs, errors.New(`HIPAA_REDIS_TLS must be "true" or "false"`))
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("configuration: %w", err)
	}
	return Config{PostgresDSN: dsn, Redis: opts}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
