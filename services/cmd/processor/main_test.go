package main

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadSettings(t *testing.T) {
	s, err := loadSettings(env(map[string]string{"HIPAA_STREAM_ARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod"}))
	require.NoError(t, err)
	assert.Equal(t, settings{streamARN: "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod", streamName: "vitals-prod", batchSize: 500,
		ttl: 15 * time.Minute, leaseDuration: 30 * time.Second, leaseRenew: 10 * time.Second}, s)

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

func TestLoadLeaseSettings(t *testing.T) {
	const arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals"
	tests := []struct {
		name                string
		vars                map[string]string
		wantDuration, renew time.Duration
		workerID            string
		wantErr             string
	}{
		{name: "defaults", vars: map[string]string{}, wantDuration: 30 * time.Second, renew: 10 * time.Second},
		{name: "duration only: renewal a third of it", vars: map[string]string{"HIPAA_LEASE_DURATION": "1m"}, wantDuration: time.Minute, renew: 20 * time.Second},
		{name: "both", vars: map[string]string{"HIPAA_LEASE_DURATION": "45s", "HIPAA_LEASE_RENEW_INTERVAL": "5s"}, wantDuration: 45 * time.Second, renew: 5 * time.Second},
		{name: "renewal exactly a third", vars: map[string]string{"HIPAA_LEASE_DURATION": "15s", "HIPAA_LEASE_RENEW_INTERVAL": "5s"}, wantDuration: 15 * time.Second, renew: 5 * time.Second},
		{name: "worker ID", vars: map[string]string{"HIPAA_WORKER_ID": "task-0a1b/ecs:1"}, wantDuration: 30 * time.Second, renew: 10 * time.Second, workerID: "task-0a1b/ecs:1"},
		{name: "duration not a duration", vars: map[string]string{"HIPAA_LEASE_DURATION": "30"}, wantErr: `HIPAA_LEASE_DURATION must be a Go duration in [5s, 10m] (e.g. 30s), not "30"`},
		{name: "duration too short", vars: map[string]string{"HIPAA_LEASE_DURATION": "2s"}, wantErr: "HIPAA_LEASE_DURATION must be a Go duration in [5s, 10m]"},
		{name: "duration too long", vars: map[string]string{"HIPAA_LEASE_DURATION": "11m"}, wantErr: "HIPAA_LEASE_DURATION must be a Go duration in [5s, 10m]"},
		{name: "renewal over a third", vars: map[string]string{"HIPAA_LEASE_RENEW_INTERVAL": "11s"},
			wantErr: `HIPAA_LEASE_RENEW_INTERVAL must be a Go duration of at least 1s and at most a third of the lease duration (10s), not "11s"`},
		{name: "renewal equal to the duration", vars: map[string]string{"HIPAA_LEASE_DURATION": "10s", "HIPAA_LEASE_RENEW_INTERVAL": "10s"}, wantErr: "HIPAA_LEASE_RENEW_INTERVAL"},
		{name: "renewal too short", vars: map[string]string{"HIPAA_LEASE_RENEW_INTERVAL": "100ms"}, wantErr: "HIPAA_LEASE_RENEW_INTERVAL"},
		{name: "renewal negative", vars: map[string]string{"HIPAA_LEASE_RENEW_INTERVAL": "-5s"}, wantErr: "HIPAA_LEASE_RENEW_INTERVAL"},
		{name: "worker ID with a space", vars: map[string]string{"HIPAA_WORKER_ID": "my worker"}, wantErr: "HIPAA_WORKER_ID must be 1-100 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.vars["HIPAA_STREAM_ARN"] = arn
			s, err := loadSettings(env(tt.vars))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantDuration, s.leaseDuration)
			assert.Equal(t, tt.renew, s.leaseRenew)
			assert.Equal(t, tt.workerID, s.workerID)
		})
	}
}

func TestOwnerIDIsUniquePerProcess(t *testing.T) {
	a, b := ownerID("ip-10-0-1-23.ec2.internal"), ownerID("ip-10-0-1-23.ec2.internal")
	assert.NotEqual(t, a, b)
	assert.Regexp(t, regexp.MustCompile(`^ip-10-0-1-23\.ec2\.internal-[0-9a-f]{12}$`), a)
	assert.True(t, validWorkerID(a))
}
