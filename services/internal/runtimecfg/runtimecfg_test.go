package runtimecfg

import (
	"crypto/tls"
	"fmt"
	"testing"

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
		{"no DSN", map[string]string{"HIPAA_PG_DSN": ""}, "HIPAA_PG_DSN is not set"},
		{"not a URL", map[string]string{"HIPAA_PG_DSN": "host=db password=" + secret}, "not a postgres:// URL"},
		{"sslmode require", map[string]string{"HIPAA_PG_DSN": "postgres://u:" + secret + "@db:5432/v?sslmode=require"}, `sslmode=verify-full (has "require")`},
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
