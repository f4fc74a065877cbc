package runtimecfg

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func redisIAMEnv() map[string]string {
	m := iamEnv()
	delete(m, "HIPAA_REDIS_PASSWORD")
	m["HIPAA_REDIS_USER"] = "hipaa-app"
	return m
}

func TestLoadRedisIAM(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want *RedisIAMAuth
	}{
		{"primary endpoint", nil, &RedisIAMAuth{CacheName: "vitals", User: "hipaa-app", Region: "eu-west-1"}},
		{"configuration endpoint", map[string]string{"HIPAA_REDIS_ADDR": "clustercfg.hipaa-prod-cache.x1y2z3.euw1.cache.amazonaws.com:6379"},
			&RedisIAMAuth{CacheName: "hipaa-prod-cache", User: "hipaa-app", Region: "eu-west-1"}},
		{"explicit cache name", map[string]string{"HIPAA_REDIS_ADDR": "cache.internal:6379", "HIPAA_REDIS_CACHE_NAME": "rg-1"},
			&RedisIAMAuth{CacheName: "rg-1", User: "hipaa-app", Region: "eu-west-1"}},
		{"user with password: plain AUTH", map[string]string{"HIPAA_REDIS_PASSWORD": secret}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := redisIAMEnv()
			for k, v := range tt.set {
				m[k] = v
			}
			c, err := Load(env(m))
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.RedisIAM)
			assert.Equal(t, "hipaa-app", c.Redis.Username)
			require.NotNil(t, c.Redis.TLSConfig)
			opts, err := c.RedisOptions(nil)
			if tt.want != nil {
				require.ErrorContains(t, err, "needs AWS credentials")
				return
			}
			require.NoError(t, err)
			assert.Nil(t, opts.CredentialsProviderContext)
			assert.Equal(t, secret, opts.Password)
		})
	}
}

func TestLoadRedisIAMRefusesBadSettings(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want string
	}{
		{"no cache name", map[string]string{"HIPAA_REDIS_ADDR": "cache.internal:6379"}, "HIPAA_REDIS_CACHE_NAME is not set"},
		{"no region", map[string]string{"AWS_REGION": ""}, "AWS_REGION is not set (needed for Redis IAM authentication)"},
		{"no TLS", map[string]string{"HIPAA_REDIS_TLS": "false", "HIPAA_LOCAL_INSECURE": "true", "HIPAA_REDIS_ADDR": "127.0.0.1:6379", "HIPAA_REDIS_CACHE_NAME": "rg"}, "requires TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := redisIAMEnv()
			for k, v := range tt.set {
				m[k] = v
			}
			_, err := Load(env(m))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestRedisOptionsIAMToken(t *testing.T) {
	c, err := Load(env(redisIAMEnv()))
	require.NoError(t, err)
	var calls atomic.Int32
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		calls.Add(1)
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secretKey, SessionToken: "session-token", Source: "fake"}, nil
	})
	opts, err := c.RedisOptions(creds)
	require.NoError(t, err)
	assert.Nil(t, c.Redis.CredentialsProviderContext, "the loaded options are not modified")
	assert.Equal(t, "master.vitals.abc.euw1.cache.amazonaws.com:6379", opts.Addr)
	require.NotNil(t, opts.TLSConfig)
	require.NotNil(t, opts.CredentialsProviderContext)
	for i := 1; i <= 2; i++ {
		user, token, err := opts.CredentialsProviderContext(context.Background())
		require.NoError(t, err)
		assert.Equal(t, int32(i), calls.Load(), "a fresh token per new connection")
		assert.Equal(t, "hipaa-app", user)
		host, query, ok := strings.Cut(token, "?")
		require.True(t, ok, "token is <cache>/?<query>")
		assert.Equal(t, "vitals/", host)
		q, err := url.ParseQuery(query)
		require.NoError(t, err)
		assert.Equal(t, "connect", q.Get("Action"))
		assert.Equal(t, "hipaa-app", q.Get("User"))
		assert.Equal(t, "900", q.Get("X-Amz-Expires"))
		assert.Equal(t, "AWS4-HMAC-SHA256", q.Get("X-Amz-Algorithm"))
		assert.Equal(t, "host", q.Get("X-Amz-SignedHeaders"))
		assert.Equal(t, "session-token", q.Get("X-Amz-Security-Token"))
		assert.Regexp(t, `^AKIDEXAMPLE/\d{8}/eu-west-1/elasticache/aws4_request$`, q.Get("X-Amz-Credential"))
		assert.Len(t, q.Get("X-Amz-Signature"), 64)
		assert.NotContains(t, token, secretKey)
	}
	assert.NotContains(t, fmt.Sprintf("%v %+v", c, c), secretKey)
}

// TestElastiCacheTokenSignature pins the signature for fixed inputs, so a change of the signed
// request (host, path, query, service, region, time) is noticed.
func TestElastiCacheTokenSignature(t *testing.T) {
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secretKey}, nil
	})
	at := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	a := RedisIAMAuth{CacheName: "vitals", User: "hipaa-app", Region: "eu-west-1"}
	tok, err := elastiCacheToken(context.Background(), creds, a, at)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(tok, "vitals/?Action=connect&User=hipaa-app&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261203%2Feu-west-1%2Felasticache%2Faws4_request&X-Amz-Date=20261203T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="), tok)
	again, err := elastiCacheToken(context.Background(), creds, a, at)
	require.NoError(t, err)
	assert.Equal(t, tok, again, "deterministic for the same inputs")
	other, err := elastiCacheToken(context.Background(), creds, RedisIAMAuth{CacheName: "other", User: "hipaa-app", Region: "eu-west-1"}, at)
	require.NoError(t, err)
	assert.NotEqual(t, tok[strings.LastIndex(tok, "=")+1:], other[strings.LastIndex(other, "=")+1:], "the cache name is signed")

	_, err = elastiCacheToken(context.Background(), aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, errors.New("no task role")
	}), a, at)
	require.ErrorContains(t, err, "no task role")
}
