//go:build integration

package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/kinesissource"
	"github.com/carepulse/hipaa-pipeline/services/simulator"
)

// TestKinesisPutIntoKinesalite runs the simulator's Kinesis sink (PutRecords, 500 a call, the
// patient as partition key) against kinesalite on loopback with the real AWS SDK client, and
// reads the stream back.
func TestKinesisPutIntoKinesalite(t *testing.T) {
	client := testenv.NewKinesis(t)
	name, arn := testenv.NewStream(t, client, 3)
	o, err := parse([]string{"-patients", "90", "-ticks", "3", "-malformed", "0.05", "-seed", "5", "-stream-arn", arn}, io.Discard)
	require.NoError(t, err)
	require.Equal(t, name, o.streamName)
	now := time.Now().UTC().Truncate(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	require.NoError(t, emit(ctx, o, now, kinesisPut(client, o.streamARN, o.streamName)), "540 records a round: two PutRecords calls each")

	// The same seed and start give the same records.
	sim, err := simulator.New(o.cfg, now)
	require.NoError(t, err)
	index := map[string]int{} // data -> position in the generated stream
	var want []simulator.Record
	for range o.ticks {
		for _, r := range sim.Next() {
			_, dup := index[string(r.Data)]
			require.False(t, dup, "generated payloads are distinct")
			index[string(r.Data)] = len(want)
			want = append(want, r)
		}
	}
	require.Len(t, want, 90*6*3)

	src, err := kinesissource.New(client, arn)
	require.NoError(t, err)
	shards, err := src.Shards(ctx)
	require.NoError(t, err)
	require.Len(t, shards, 3)
	got := map[int]bool{}
	shardOf := map[string]string{} // partition key -> shard
	for _, s := range shards {
		last := map[string]int{} // partition key -> position of its last record read
		after := ""
		for {
			f, err := src.Fetch(ctx, s.ID, after, 1000)
			require.NoError(t, err)
			if len(f.Records) == 0 {
				break
			}
			for _, r := range f.Records {
				i, ok := index[string(r.Data)]
				require.True(t, ok, "a record the simulator generated")
				require.False(t, got[i], "read once")
				got[i] = true
				key := want[i].PartitionKey
				if prev, ok := shardOf[key]; ok {
					require.Equal(t, prev, s.ID, "a patient's records stay in one shard")
				}
				shardOf[key] = s.ID
				if p, ok := last[key]; ok {
					require.Less(t, p, i, "a patient's records in the order generated")
				}
				last[key] = i
			}
			after = f.Records[len(f.Records)-1].SequenceNumber
		}
	}
	assert.Len(t, got, len(want), "every record put")
	assert.Len(t, shardOf, 90)
}
