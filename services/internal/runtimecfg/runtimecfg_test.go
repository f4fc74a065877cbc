package runtimecfg

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secret = "s3cr3t-Pa55"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func deployed() map[string]string {
	return map[string]string{
		"HIPAA_PG_DSN":         "postgres://processor:" + secret + "@vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432/vitals?sslmode=verify-full&sslrootcert=/etc/ssl/rds-ca.pem",
		"HIPAA_REDIS_ADDR":     "master.vitals.abc.euw1.cache.amazonaws.com:6379",
		"HIPAA_REDIS_PASSWORD": secret,
	}
}

func TestLoadDeployed(t *testing.T) {
	c, err := Load(env(deployed()))
	require.NoError(t, err)
	require.NotNil(t, c.Redis.TLSConfig, "Redis over TLS by default")
	assert.Equal(t, uint16(tls.VersionTLS12), c.Redis.TLSConfig.MinVersion)
	assert.Equal(t, "master.vitals.abc.euw1.cache.amazonaws.com", c.Redis.TLSConfig.ServerName)
	assert.Equal(t, secret, c.Redis.Password)
	assert.NotContains(t, fmt.Sprint(c), secret)
	assert.NotContains(t, fmt.Sprintf("%v %+v", c, c), secret)
}

func TestLoadLocal(t *testing.T) {
	c, err := Load(env(map[string]string{"HIPAA_LOCAL_INSECURE": "true", "HIPAA_PG_DSN": "postgres://u:p@127.0.0.1:5432/db?sslmode=disable",
		"HIPAA_REDIS_ADDR": "127.0.0.1:6379", "HIPAA_REDIS_TLS": "false"}))
	require.NoError(t, err)
	assert.Nil(t, c.Redis.TLSConfig)
}

func TestLoadRefusesClearText(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want string
	}{
		{"no DSN", map[string]string{"HIPAA_PG_DSN": ""}, "HIPAA_PG_DSN (or HIPAA_DB_HOST for IAM authentication) is not set"},
		{"not a URL", map[string]string{"HIPAA_PG_DSN": "host=db password=" + secret}, "not a postgres:// URL"},
		{"sslmode require", map[string]string{"HIPAA_PG_DSN": "postgres://u:" + secret + "@db:5432/v?sslmode=require"}, `sslmode=verify-full (has "require")`},
		{"sslmode verify-ca", map[string]string{"HIPAA_PG_DSN": "postgres://u:" + secret + "@db:5432/v?sslmode=verify-ca"}, `sslmode=verify-full (has "verify-ca")`},
		{"no sslmode", map[string]string{"HIPAA_PG_DSN": "postgres://u:" + secret + "@db:5432/v"}, `has ""`},
		{"local flag on a remote database", map[string]string{"HIPAA_LOCAL_INSECURE": "true", "HIPAA_PG_DSN": "postgres://u:p@db.internal:5432/v?sslmode=disable"}, "sslmode=verify-full"},
		{"Redis without TLS", map[string]string{"HIPAA_REDIS_TLS": "false"}, "HIPAA_REDIS_TLS=false is allowed only"},
		{"Redis TLS typo", map[string]string{"HIPAA_REDIS_TLS": "yes"}, `must be "true" or "false"`},
		{"Redis address", map[string]string{"HIPAA_REDIS_ADDR": "cache"}, "HIPAA_REDIS_ADDR must be host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := deployed()
			for k, v := range tt.set {
				m[k] = v
			}
			_, err := Load(env(m))
			require.ErrorContains(t, err, tt.want)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

const secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

func iamEnv() map[string]string {
	m := deployed()
	delete(m, "HIPAA_PG_DSN")
	for k, v := range map[string]string{"HIPAA_DB_HOST": "vitals.cluster-abc.eu-west-1.rds.amazonaws.com", "HIPAA_DB_PORT": "5432",
		"HIPAA_DB_NAME": "vitals", "HIPAA_DB_USER": "processor", "HIPAA_DB_SSLMODE": "verify-full", "AWS_REGION": "eu-west-1"} {
		m[k] = v
	}
	return m
}

func TestLoadIAM(t *testing.T) {
	tests := []struct {
		name    string
		set     map[string]string
		wantDSN string
	}{
		{"deployed", nil, "postgres://processor@vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432/vitals?sslmode=verify-full"},
		{"default port and root CA", map[string]string{"HIPAA_DB_PORT": "", "HIPAA_DB_SSLROOTCERT": "/etc/ssl/rds.pem"},
			"postgres://processor@vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432/vitals?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Frds.pem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := iamEnv()
			for k, v := range tt.set {
				m[k] = v
			}
			c, err := Load(env(m))
			require.NoError(t, err)
			assert.Equal(t, tt.wantDSN, c.PostgresDSN)
			require.NotNil(t, c.PostgresIAM)
			assert.Equal(t, IAMAuth{Endpoint: "vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432", User: "processor", Region: "eu-west-1"}, *c.PostgresIAM)
			pc, err := c.PoolConfig(nil)
			assert.Nil(t, pc)
			require.ErrorContains(t, err, "needs AWS credentials")
		})
	}
}

func TestLoadIAMRefusesBadSettings(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want string
	}{
		{"sslmode require", map[string]string{"HIPAA_DB_SSLMODE": "require"}, `HIPAA_DB_SSLMODE must be verify-full (has "require")`},
		{"sslmode verify-ca", map[string]string{"HIPAA_DB_SSLMODE": "verify-ca"}, `HIPAA_DB_SSLMODE must be verify-full (has "verify-ca")`},
		{"no sslmode", map[string]string{"HIPAA_DB_SSLMODE": ""}, `HIPAA_DB_SSLMODE must be verify-full (has "")`},
		{"sslmode disable even locally", map[string]string{"HIPAA_DB_SSLMODE": "disable", "HIPAA_LOCAL_INSECURE": "true", "HIPAA_DB_HOST": "127.0.0.1"}, "must be verify-full"},
		{"bad port", map[string]string{"HIPAA_DB_PORT": "54x"}, `HIPAA_DB_PORT must be a port number (has "54x")`},
		{"port out of range", map[string]string{"HIPAA_DB_PORT": "70000"}, "HIPAA_DB_PORT must be a port number"},
		{"no user", map[string]string{"HIPAA_DB_USER": ""}, "HIPAA_DB_USER is not set"},
		{"no database name", map[string]string{"HIPAA_DB_NAME": ""}, "HIPAA_DB_NAME is not set"},
		{"no region", map[string]string{"AWS_REGION": ""}, "AWS_REGION is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := iamEnv()
			for k, v := range tt.set {
				m[k] = v
			}
			_, err := Load(env(m))
			require.ErrorContains(t, err, tt.want)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

// TestPoolConfigIAMToken checks that every new connection gets a fresh token signed for the
// database endpoint, user and action, as its password, and that no secret shows in the config.
func TestPoolConfigIAMToken(t *testing.T) {
	c, err := Load(env(iamEnv()))
	require.NoError(t, err)
	var calls atomic.Int32
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		calls.Add(1)
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: secretKey, SessionToken: "session-" + secret, Source: "fake"}, nil
	})
	pc, err := c.PoolConfig(creds)
	require.NoError(t, err)
	assert.Equal(t, "vitals.cluster-abc.eu-west-1.rds.amazonaws.com", pc.ConnConfig.Host)
	assert.Equal(t, uint16(5432), pc.ConnConfig.Port)
	assert.Equal(t, "processor", pc.ConnConfig.User)
	assert.Empty(t, pc.ConnConfig.Password, "no static password")
	require.NotNil(t, pc.ConnConfig.TLSConfig, "verify-full means TLS")
	assert.False(t, pc.ConnConfig.TLSConfig.InsecureSkipVerify)
	assert.Equal(t, "vitals.cluster-abc.eu-west-1.rds.amazonaws.com", pc.ConnConfig.TLSConfig.ServerName)
	require.NotNil(t, pc.BeforeConnect)

	for i := 1; i <= 2; i++ {
		cc := pc.ConnConfig.Copy()
		require.NoError(t, pc.BeforeConnect(context.Background(), cc))
		assert.Equal(t, int32(i), calls.Load(), "credentials are read for every new connection")
		token := cc.Password
		host, query, ok := strings.Cut(token, "?")
		require.True(t, ok, "token is host:port?query")
		assert.Equal(t, "vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432", strings.TrimSuffix(host, "/"))
		q, err := url.ParseQuery(query)
		require.NoError(t, err)
		assert.Equal(t, "connect", q.Get("Action"))
		assert.Equal(t, "processor", q.Get("DBUser"))
		assert.Equal(t, "AWS4-HMAC-SHA256", q.Get("X-Amz-Algorithm"))
		assert.Equal(t, "900", q.Get("X-Amz-Expires"))
		assert.Regexp(t, `^AKIDEXAMPLE/\d{8}/eu-west-1/rds-db/aws4_request$`, q.Get("X-Amz-Credential"))
		assert.Len(t, q.Get("X-Amz-Signature"), 64)
		assert.NotContains(t, token, secretKey, "the secret key only signs")
	}
	assert.NotContains(t, fmt.Sprintf("%v %+v %s", c, c, c), secretKey)
	assert.NotContains(t, c.String(), secret)
}

func TestPoolConfigIAMCredentialsError(t *testing.T) {
	c, err := Load(env(iamEnv()))
	require.NoError(t, err)
	pc, err := c.PoolConfig(aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{}, fmt.Errorf("no task role")
	}))
	require.NoError(t, err)
	cc := pc.ConnConfig.Copy()
	err = pc.BeforeConnect(context.Background(), cc)
	require.ErrorContains(t, err, "build the IAM auth token for database user processor")
	require.ErrorContains(t, err, "no task role")
	assert.Empty(t, cc.Password)
}

func TestPoolConfigDSNKeepsPassword(t *testing.T) {
	m := deployed()
	m["HIPAA_PG_DSN"] = "postgres://processor:" + secret + "@vitals.cluster-abc.eu-west-1.rds.amazonaws.com:5432/vitals?sslmode=verify-full"
	c, err := Load(env(m))
	require.NoError(t, err)
	assert.Nil(t, c.PostgresIAM)
	pc, err := c.PoolConfig(nil)
	require.NoError(t, err)
	assert.Nil(t, pc.BeforeConnect)
	assert.Equal(t, secret, pc.ConnConfig.Password)
}
