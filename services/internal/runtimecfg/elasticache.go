package runtimecfg

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/redis/go-redis/v9"
)

// RedisIAMAuth is what an ElastiCache IAM auth token is built for.
type RedisIAMAuth struct {
	CacheName string // the replication group ID (lowercase)
	User      string // the IAM-enabled ElastiCache user (its user ID equals its name)
	Region    string
}

// emptyPayloadHash is the SHA-256 of an empty body.
const emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// elastiCacheTokenLifetime is how long ElastiCache accepts a token (its maximum, 15 minutes).
const elastiCacheTokenLifetime = 15 * time.Minute

// endpointCacheName reads the replication group ID from an ElastiCache primary or configuration
// endpoint (master.<id>.<hash>.<region>.cache.amazonaws.com).
var endpointCacheName = regexp.MustCompile(`^(?:master|clustercfg)\.([a-z0-9-]+)\.[^/]*\.cache\.amazonaws\.com(?:\.cn)?$`)

// elastiCacheToken is an ElastiCache IAM auth token (AWS's ElastiCache "Authenticating with IAM"):
// the request GET http://<cache>/?Action=connect&User=<user>, presigned with SigV4 for the
// "elasticache" service and valid 15 minutes, without its "http://".
func elastiCacheToken(ctx context.Context, creds aws.CredentialsProvider, a RedisIAMAuth, now time.Time) (string, error) {
	q := url.Values{"Action": {"connect"}, "User": {a.User}, "X-Amz-Expires": {fmt.Sprint(int(elastiCacheTokenLifetime.Seconds()))}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+a.CacheName+"/?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("ElastiCache IAM auth token request: %w", err)
	}
	c, err := creds.Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("ElastiCache IAM auth token: AWS credentials: %w", err)
	}
	signed, _, err := v4.NewSigner().PresignHTTP(ctx, c, req, emptyPayloadHash, "elasticache", a.Region, now.UTC())
	if err != nil {
		return "", fmt.Errorf("ElastiCache IAM auth token: sign: %w", err)
	}
	return strings.TrimPrefix(signed, "http://"), nil
}

// RedisOptions are the go-redis options; with IAM authentication every new connection
// authenticates (AUTH user token) with a fresh token signed with creds (e.g. the task role's).
// creds is unused without IAM authentication.
func (c Config) RedisOptions(creds aws.CredentialsProvider) (*redis.Options, error) {
	opts := *c.Redis
	if c.RedisIAM == nil {
		return &opts, nil
	}
	if creds == nil {
		return nil, errors.New("runtimecfg: ElastiCache IAM authentication needs AWS credentials")
	}
	a := *c.RedisIAM
	opts.CredentialsProviderContext = func(ctx context.Context) (string, string, error) {
		token, err := elastiCacheToken(ctx, creds, a, time.Now())
		if err != nil {
			return "", "", fmt.Errorf("runtimecfg: ElastiCache user %s: %w", a.User, err)
		}
		return a.User, token, nil
	}
	return &opts, nil
}
