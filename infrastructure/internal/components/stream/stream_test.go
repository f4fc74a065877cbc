package stream_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/stream"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
)

func TestStreamPerStack(t *testing.T) {
	want := map[string]float64{"dev": 24, "prod": 168}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:stream:Stream")
			assert.Equal(t, "stream", comp.Name)
			dptest.RequireChildren(t, rec, comp)

			s := dptest.Only(t, rec, "aws:kinesis/stream:Stream")
			assert.Equal(t, comp.URN, s.Parent)
			assert.Equal(t, "hipaa-vitals-stream-"+stack, s.Str("name"))
			assert.Equal(t, "KMS", s.Str("encryptionType"))
			assert.Equal(t, dptest.KeyArn(t, rec, "stream"), s.Str("kmsKeyId"), "the customer-managed stream key")
			assert.NotContains(t, s.Str("kmsKeyId"), "alias/aws/kinesis")
			assert.Equal(t, "ON_DEMAND", s.Str("streamModeDetails.streamMode"))
			assert.False(t, s.Has("shardCount"), "on-demand streams have no shard count")
			rp, ok := s.Num("retentionPeriod")
			require.True(t, ok)
			assert.Equal(t, want[stack], rp)
			assert.Equal(t, stream.ShardLevelMetrics, s.Strs("shardLevelMetrics"))
			assert.Contains(t, s.Strs("shardLevelMetrics"), "IteratorAgeMilliseconds")
			assert.Equal(t, "hipaa-vitals-stream-"+stack, s.Str("tags.Name"))
		})
	}
}

func TestStreamProvisionedMode(t *testing.T) {
	rec, err := dptest.Run(t, "dev", map[string]string{
		"hipaa-pipeline:streamMode": "PROVISIONED", "hipaa-pipeline:streamShardCount": "4",
	})
	require.NoError(t, err)
	s := dptest.Only(t, rec, "aws:kinesis/stream:Stream")
	assert.Equal(t, "PROVISIONED", s.Str("streamModeDetails.streamMode"))
	n, ok := s.Num("shardCount")
	require.True(t, ok)
	assert.Equal(t, 4.0, n)
}

func TestStreamConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"prod retention below seven days", map[string]string{"hipaa-pipeline:streamRetentionHours": "48"},
			"hipaa-pipeline:streamRetentionHours: 48 hours is too short for prod (allowed: at least 168, seven days of replay)"},
		{"unknown mode", map[string]string{"hipaa-pipeline:streamMode": "SERVERLESS"},
			`hipaa-pipeline:streamMode: "SERVERLESS" is not a capacity mode (allowed: ON_DEMAND, PROVISIONED)`},
		{"shards in on-demand mode", map[string]string{"hipaa-pipeline:streamShardCount": "2"},
			"hipaa-pipeline:streamShardCount: must not be set in ON_DEMAND mode (got 2; allowed: unset or 0)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := dptest.Run(t, "prod", tt.changes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rec.Resources, "nothing is created from a bad config")
		})
	}
}
