package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	s, err := loadSettings(env(map[string]string{"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod"}))
	require.NoError(t, err)
	assert.Equal(t, settings{streamARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod", streamName: "vitals-prod", batchSize: 500, ttl: 15 * time.Minute}, s)

	s, err = loadSettings(env(map[string]string{"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/v", "HIPAA_BATCH_SIZE": "200", "HIPAA_VITALS_TTL": "1h"}))
	require.NoError(t, err)
	assert.Equal(t, 200, s.batchSize)
	assert.Equal(t, time.Hour, s.ttl)

	for name, m := range map[string]map[string]string{
		"no ARN":       {},
		"SQS ARN":      {"HIPAA_STREAM_ARN": "arn:aws:sqs:eu-west-1:123456789012:vitals"},
		"no name":      {"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/"},
		"batch size 0": {"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:1:stream/v", "HIPAA_BATCH_SIZE": "0"},
		"TTL too low":  {"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:1:stream/v", "HIPAA_VITALS_TTL": "10ms"},
	} {
		_, err := loadSettings(env(m))
		assert.Error(t, err, name)
	}
}
