// Package runtimecfg reads the deployed services' connection settings from the environment (ECS
// injects the secrets from Secrets Manager as variables) and enforces TLS to PostgreSQL and
// Redis: a deployed service never talks to a data store in clear text.
//
//	HIPAA_PG_DSN          postgres:// URL; sslmode must be verify-full (verify-ca skips the host name check)
//	HIPAA_DB_HOST, HIPAA_DB_PORT, HIPAA_DB_NAME, HIPAA_DB_USER, HIPAA_DB_SSLMODE (verify-full
//	only), optional HIPAA_DB_SSLROOTCERT, and AWS_REGION: used when HIPAA_PG_DSN is absent;
//	the password of each new connection is a fresh IAM auth token (Aurora IAM database
//	authentication, valid 15 minutes), see Config.PoolConfig
//	HIPAA_REDIS_ADDR      host:port of the ElastiCache primary endpoint
//	HIPAA_REDIS_PASSWORD  Redis AUTH token (optional)
//	HIPAA_REDIS_USER      ElastiCache user; without HIPAA_REDIS_PASSWORD each new connection
//	                      authenticates with a fresh ElastiCache IAM auth token (needs TLS and
//	                      AWS_REGION; the replication group ID comes from HIPAA_REDIS_CACHE_NAME
//	                      or the master./clustercfg. endpoint in HIPAA_REDIS_ADDR), see RedisOptions
//	HIPAA_REDIS_TLS       "true" (default); "false" only with HIPAA_LOCAL_INSECURE=true
//	HIPAA_LOCAL_INSECURE  "true" allows sslmode=disable and Redis without TLS, for a laptop
//	                      against loopback servers only
package runtimecfg

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

// Config is what the services need to reach their stores.
type Config struct {
	// PostgresDSN is the connection URL; with IAM authentication it holds no password.
	PostgresDSN string
	// PostgresIAM is set when each connection authenticates with an IAM auth token.
	PostgresIAM *IAMAuth
	// Redis holds the static options; use RedisOptions to connect.
	Redis *redis.Options
	// RedisIAM is set when each Redis connection authenticates with an IAM auth token.
	RedisIAM *RedisIAMAuth
}

// IAMAuth is what an RDS IAM auth token is built for.
type IAMAuth struct {
	Endpoint string // host:port of the database
	User     string
	Region   string
}

// String never shows a secret.
func (c Config) String() string {
	pg := "[redacted]"
	if c.PostgresIAM != nil {
		pg = "IAM " + c.PostgresIAM.User + "@" + c.PostgresIAM.Endpoint
	}
	rd := c.Redis.Addr
	if c.RedisIAM != nil {
		rd = "IAM " + c.RedisIAM.User + "@" + rd
	}
	return fmt.Sprintf("runtimecfg.Config{PostgresDSN: %s, Redis: %s}", pg, rd)
}

// PoolConfig is the pgx pool configuration; with IAM authentication, BeforeConnect puts a fresh
// auth token (signed with creds, e.g. the task role's) as the password of every new connection,
// since a token is valid for 15 minutes only. creds is unused without IAM authentication.
func (c Config) PoolConfig(creds aws.CredentialsProvider) (*pgxpool.Config, error) {
	if c.PostgresIAM != nil && creds == nil {
		return nil, errors.New("runtimecfg: IAM database authentication needs AWS credentials")
	}
	cfg, err := pgxpool.ParseConfig(c.PostgresDSN)
	if err != nil {
		// pgx's parse errors can quote the DSN, password included: never wrap them.
		return nil, errors.New("runtimecfg: the PostgreSQL DSN cannot be parsed")
	}
	if c.PostgresIAM == nil {
		return cfg, nil
	}
	iam := *c.PostgresIAM
	cfg.BeforeConnect = func(ctx context.Context, cc *pgx.ConnConfig) error {
		token, err := auth.BuildAuthToken(ctx, iam.Endpoint, iam.Region, iam.User, creds)
		if err != nil {
			return fmt.Errorf("runtimecfg: build the IAM auth token for database user %s: %w", iam.User, err)
		}
		cc.Password = token
		return nil
	}
	return cfg, nil
}

// Load reads and checks the configuration; getenv is os.Getenv in production.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	local := getenv("HIPAA_LOCAL_INSECURE") == "true"
	dsn := getenv("HIPAA_PG_DSN")
	u, err := url.Parse(dsn)
	var iam *IAMAuth
	switch {
	case dsn == "" && getenv("HIPAA_DB_HOST") != "":
		dsn, iam, err = iamDSN(getenv)
		if err != nil {
			errs = append(errs, err)
		}
	case dsn == "":
		errs = append(errs, errors.New("HIPAA_PG_DSN (or HIPAA_DB_HOST for IAM authentication) is not set"))
	case err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "":
		errs = append(errs, errors.New("HIPAA_PG_DSN is not a postgres:// URL")) // never quote it: it holds a password
	default:
		mode := u.Query().Get("sslmode")
		localOK := local && isLoopback(u.Hostname())
		if mode != "verify-full" && !localOK {
			errs = append(errs, fmt.Errorf("HIPAA_PG_DSN must use sslmode=verify-full (has %q)", mode))
		}
	}
	addr := getenv("HIPAA_REDIS_ADDR")
	host, _, err := net.SplitHostPort(addr)
	if addr == "" || err != nil || host == "" {
		errs = append(errs, errors.New("HIPAA_REDIS_ADDR must be host:port"))
	}
	opts := &redis.Options{Addr: addr, Username: getenv("HIPAA_REDIS_USER"), Password: getenv("HIPAA_REDIS_PASSWORD")}
	var redisIAM *RedisIAMAuth
	if opts.Username != "" && opts.Password == "" {
		redisIAM = &RedisIAMAuth{User: opts.Username, Region: getenv("AWS_REGION"), CacheName: getenv("HIPAA_REDIS_CACHE_NAME")}
		if redisIAM.CacheName == "" {
			if m := endpointCacheName.FindStringSubmatch(strings.ToLower(host)); m != nil {
				redisIAM.CacheName = m[1]
			}
		}
		if redisIAM.CacheName == "" {
			errs = append(errs, errors.New("HIPAA_REDIS_CACHE_NAME is not set and HIPAA_REDIS_ADDR is no master./clustercfg. ElastiCache endpoint (needed for IAM authentication)"))
		}
		if redisIAM.Region == "" {
			errs = append(errs, errors.New("AWS_REGION is not set (needed for Redis IAM authentication)"))
		}
		if getenv("HIPAA_REDIS_TLS") == "false" {
			errs = append(errs, errors.New("HIPAA_REDIS_TLS=false: Redis IAM authentication requires TLS"))
		}
	}
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
	return Config{PostgresDSN: dsn, PostgresIAM: iam, Redis: opts, RedisIAM: redisIAM}, nil
}

// iamDSN builds the password-less DSN of IAM database authentication; it allows verify-full only.
func iamDSN(getenv func(string) string) (string, *IAMAuth, error) {
	var errs []error
	host, name, user, region := getenv("HIPAA_DB_HOST"), getenv("HIPAA_DB_NAME"), getenv("HIPAA_DB_USER"), getenv("AWS_REGION")
	port := getenv("HIPAA_DB_PORT")
	if port == "" {
		port = "5432"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		errs = append(errs, fmt.Errorf("HIPAA_DB_PORT must be a port number (has %q)", port))
	}
	for _, v := range []struct{ key, val string }{{"HIPAA_DB_NAME", name}, {"HIPAA_DB_USER", user}, {"AWS_REGION", region}} {
		if v.val == "" {
			errs = append(errs, fmt.Errorf("%s is not set (needed with HIPAA_DB_HOST)", v.key))
		}
	}
	if mode := getenv("HIPAA_DB_SSLMODE"); mode != "verify-full" {
		errs = append(errs, fmt.Errorf("HIPAA_DB_SSLMODE must be verify-full (has %q)", mode))
	}
	if err := errors.Join(errs...); err != nil {
		return "", nil, err
	}
	q := url.Values{"sslmode": {"verify-full"}}
	if root := getenv("HIPAA_DB_SSLROOTCERT"); root != "" {
		q.Set("sslrootcert", root)
	}
	endpoint := net.JoinHostPort(host, port)
	u := url.URL{Scheme: "postgres", User: url.User(user), Host: endpoint, Path: "/" + name, RawQuery: q.Encode()}
	return u.String(), &IAMAuth{Endpoint: endpoint, User: user, Region: region}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
