//go:build integration

package kinesissource_test

// These tests run the source with the real AWS SDK for Go v2 client against kinesalite, an
// in-memory Kinesis-compatible server on loopback (scripts/testdb.sh start, or make
// services-test). They skip, saying so, without HIPAA_TEST_KINESIS_ENDPOINT (and fail in CI).

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/kinesissource"
	"github.com/carepulse/hipaa-pipeline/services/processor"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// countingAPI passes every call to the real client and counts them.
type countingAPI struct {
	*kinesis.Client
	list, iterators, gets atomic.Int64
}

func (c *countingAPI) ListShards(ctx context.Context, in *kinesis.ListShardsInput, opts ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error) {
	c.list.Add(1)
	return c.Client.ListShards(ctx, in, opts...)
}

func (c *countingAPI) GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, opts ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error) {
	c.iterators.Add(1)
	return c.Client.GetShardIterator(ctx, in, opts...)
}

func (c *countingAPI) GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, opts ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error) {
	c.gets.Add(1)
	return c.Client.GetRecords(ctx, in, opts...)
}

// put is one record as PutRecords placed it.
type put struct {
	key, data, shard, seq string
}

// putRecords puts n records "<key>#<i>" spread over keys partition keys, numbering each key's
// records from first[key], and returns where Kinesis placed them.
func putRecords(t *testing.T, c *kinesis.Client, name, arn string, keys, n int, first map[string]int) []put {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []put
	for start := 0; start < n; start += 500 {
		var entries []types.PutRecordsRequestEntry
		var batch []put
		for i := start; i < min(n, start+500); i++ {
			key := fmt.Sprintf("pt-%03d", i%keys)
			p := put{key: key, data: fmt.Sprintf("%s#%d", key, first[key])}
			first[key]++
			batch = append(batch, p)
			entries = append(entries, types.PutRecordsRequestEntry{Data: []byte(p.data), PartitionKey: aws.String(key)})
		}
		res, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(name), StreamARN: aws.String(arn), Records: entries})
		require.NoError(t, err)
		require.Zero(t, aws.ToInt32(res.FailedRecordCount))
		require.Len(t, res.Records, len(batch))
		for i, r := range res.Records {
			batch[i].shard, batch[i].seq = aws.ToString(r.ShardId), aws.ToString(r.SequenceNumber)
			require.NotEmpty(t, batch[i].seq)
		}
		out = append(out, batch...)
	}
	return out
}

// byShard groups puts by shard, in put order (a shard's sequence numbers grow in that order).
func byShard(ps []put) map[string][]put {
	m := map[string][]put{}
	for _, p := range ps {
		m[p.shard] = append(m[p.shard], p)
	}
	return m
}

// readAll fetches the shard from after until a fetch returns nothing new (or the shard's end).
func readAll(t *testing.T, src *kinesissource.Source, shard, after string, limit int) ([]processor.Record, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []processor.Record
	for {
		f, err := src.Fetch(ctx, shard, after, limit)
		require.NoError(t, err)
		require.LessOrEqual(t, len(f.Records), limit)
		recs = append(recs, f.Records...)
		if n := len(f.Records); n > 0 {
			after = f.Records[n-1].SequenceNumber
		}
		if f.End || len(f.Records) == 0 {
			return recs, f.End
		}
	}
}

func dataOf(recs []processor.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = string(r.Data)
	}
	return out
}

func putData(ps []put) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.data
	}
	return out
}

func TestKinesaliteReadsEveryShardAndResumesAfterACheckpoint(t *testing.T) {
	client := testenv.NewKinesis(t)
	name, arn := testenv.NewStream(t, client, 4)
	puts := putRecords(t, client, name, arn, 40, 400, map[string]int{})
	shards := byShard(puts)
	require.Len(t, shards, 4, "40 partition keys spread over the 4 shards")

	api := &countingAPI{Client: client}
	src, err := kinesissource.New(api, arn)
	require.NoError(t, err)
	ctx := context.Background()
	listed, err := src.Shards(ctx)
	require.NoError(t, err)
	require.Len(t, listed, 4)
	for _, s := range listed {
		assert.Empty(t, s.ParentIDs, s.ID)
		assert.Contains(t, shards, s.ID)
	}

	// Every record of every shard, once, in the shard's order, with the sequence numbers
	// PutRecords answered; an open shard never reads as ended.
	for _, s := range listed {
		recs, end := readAll(t, src, s.ID, "", 7)
		assert.False(t, end, "%s is open", s.ID)
		want := shards[s.ID]
		require.Equal(t, putData(want), dataOf(recs), s.ID)
		for i, r := range recs {
			assert.Equal(t, want[i].seq, r.SequenceNumber)
		}
	}
	// One iterator per shard (TRIM_HORIZON): the following fetches reused NextShardIterator.
	assert.Equal(t, int64(4), api.iterators.Load())
	assert.Greater(t, api.gets.Load(), int64(4*10), "7 records per GetRecords")

	// Records put after the reader caught up are read through its cached iterator.
	more := byShard(putRecords(t, client, name, arn, 40, 80, map[string]int{"pt-000": 1000, "pt-001": 1000}))
	for _, s := range listed {
		last := shards[s.ID][len(shards[s.ID])-1].seq
		recs, _ := readAll(t, src, s.ID, last, 500)
		assert.Equal(t, putData(more[s.ID]), dataOf(recs), s.ID)
	}
	assert.Equal(t, int64(4), api.iterators.Load(), "still no new iterator")

	// Another process resumes after a checkpoint: AFTER_SEQUENCE_NUMBER with a real sequence
	// number reads exactly the records that follow it.
	resumed, err := kinesissource.New(client, arn)
	require.NoError(t, err)
	for _, s := range listed {
		all := append(slices.Clone(shards[s.ID]), more[s.ID]...)
		k := len(all) / 3
		recs, end := readAll(t, resumed, s.ID, all[k].seq, 1000)
		assert.False(t, end)
		assert.Equal(t, putData(all[k+1:]), dataOf(recs), "%s after checkpoint %d of %d", s.ID, k, len(all))
	}
}

// recorder is a processor.Writer that keeps, in memory, what the processor stored (the test
// payloads are not observations: every record reaches it as a dead letter).
type recorder struct {
	mu          sync.Mutex
	order       []string            // payloads in the order written
	shardOf     map[string]string   // payload -> shard it was written from
	checkpoints map[string]string   // shard -> checkpoint
	finished    map[string]bool     // shard -> read to its end
	writes      map[string][]string // shard -> payloads, in order
}

func newRecorder() *recorder {
	return &recorder{shardOf: map[string]string{}, checkpoints: map[string]string{}, finished: map[string]bool{}, writes: map[string][]string{}}
}

func (r *recorder) Write(_ context.Context, b store.Batch) (store.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(b.Observations) > 0 {
		return store.Result{}, fmt.Errorf("unexpected observations in shard %s", b.ShardID)
	}
	if r.finished[b.ShardID] {
		return store.Result{}, fmt.Errorf("write to shard %s after its end", b.ShardID)
	}
	for _, d := range b.DeadLetters {
		r.order = append(r.order, string(d.Payload))
		r.shardOf[string(d.Payload)] = b.ShardID
		r.writes[b.ShardID] = append(r.writes[b.ShardID], string(d.Payload))
	}
	if b.Checkpoint != "" {
		r.checkpoints[b.ShardID] = b.Checkpoint
	}
	r.finished[b.ShardID] = b.Finished
	return store.Result{DeadLettered: len(b.DeadLetters), Checkpoint: r.checkpoints[b.ShardID]}, nil
}

func (r *recorder) Checkpoint(_ context.Context, _ string, shardID string) (string, bool, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq, ok := r.checkpoints[shardID]
	return seq, r.finished[shardID], ok || r.finished[shardID], nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.order)
}

// runUntil runs a processor over a new source of the stream until the recorder holds n records.
func runUntil(t *testing.T, client *kinesis.Client, arn string, w *recorder, n int) {
	t.Helper()
	src, err := kinesissource.New(client, arn)
	require.NoError(t, err)
	p, err := processor.New(src, w, nil, processor.Config{Stream: "vitals", BatchSize: 16, PollInterval: 5 * time.Millisecond,
		ShardRefresh: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	go func() {
		for ctx.Err() == nil && w.count() < n {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // let a duplicate, if any, arrive
		cancel()
	}()
	require.NoError(t, p.Run(ctx))
	require.Equal(t, n, w.count(), "records stored")
}

func TestKinesaliteReshardingReadsParentsBeforeChildren(t *testing.T) {
	client := testenv.NewKinesis(t)
	name, arn := testenv.NewStream(t, client, 2)
	ctx := context.Background()
	w := newRecorder()
	next := map[string]int{}

	// Phase 1: two shards, read completely by a first processor.
	puts := putRecords(t, client, name, arn, 24, 240, next)
	runUntil(t, client, arn, w, len(puts))

	// Reshard: split shard 0 in the middle of its hash key range, then merge its upper child
	// with shard 1; records are put before, between and after.
	puts = append(puts, putRecords(t, client, name, arn, 24, 120, next)...)
	ls, err := client.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name)})
	require.NoError(t, err)
	require.Len(t, ls.Shards, 2)
	s0, s1 := ls.Shards[0], ls.Shards[1]
	lo, _ := new(big.Int).SetString(aws.ToString(s0.HashKeyRange.StartingHashKey), 10)
	hi, _ := new(big.Int).SetString(aws.ToString(s0.HashKeyRange.EndingHashKey), 10)
	mid := new(big.Int).Rsh(new(big.Int).Add(lo, hi), 1)
	_, err = client.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(name), StreamARN: aws.String(arn),
		ShardToSplit: s0.ShardId, NewStartingHashKey: aws.String(mid.String())})
	require.NoError(t, err)
	_, err = testenv.WaitStreamActive(ctx, client, name)
	require.NoError(t, err)
	puts = append(puts, putRecords(t, client, name, arn, 24, 120, next)...)

	ls, err = client.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name)})
	require.NoError(t, err)
	require.Len(t, ls.Shards, 4)
	upper := ls.Shards[3]
	require.Equal(t, mid.String(), aws.ToString(upper.HashKeyRange.StartingHashKey), "the split's upper child")
	_, err = client.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(name), StreamARN: aws.String(arn),
		ShardToMerge: upper.ShardId, AdjacentShardToMerge: s1.ShardId})
	require.NoError(t, err)
	_, err = testenv.WaitStreamActive(ctx, client, name)
	require.NoError(t, err)
	puts = append(puts, putRecords(t, client, name, arn, 24, 120, next)...)

	// The source lists the lineage as ListShards answers it.
	src, err := kinesissource.New(client, arn)
	require.NoError(t, err)
	listed, err := src.Shards(ctx)
	require.NoError(t, err)
	id := func(s types.Shard) string { return aws.ToString(s.ShardId) }
	lower := ls.Shards[2]
	merged := ""
	parents := map[string][]string{}
	for _, s := range listed {
		parents[s.ID] = s.ParentIDs
		if len(s.ParentIDs) == 2 {
			merged = s.ID
		}
	}
	require.Len(t, listed, 5)
	assert.Empty(t, parents[id(s0)])
	assert.Empty(t, parents[id(s1)])
	assert.Equal(t, []string{id(s0)}, parents[id(lower)])
	assert.Equal(t, []string{id(s0)}, parents[id(upper)])
	require.NotEmpty(t, merged)
	assert.Equal(t, []string{id(upper), id(s1)}, parents[merged])

	// Phase 2: a new processor resumes from phase 1's checkpoints (AFTER_SEQUENCE_NUMBER),
	// reads every parent to its end before any of its children.
	runUntil(t, client, arn, w, len(puts))

	w.mu.Lock()
	defer w.mu.Unlock()
	seen := map[string]int{}
	for i, d := range w.order {
		_, dup := seen[d]
		require.False(t, dup, "%s stored twice", d)
		seen[d] = i
	}
	for _, p := range puts {
		require.Contains(t, seen, p.data, "every record stored")
		assert.Equal(t, p.shard, w.shardOf[p.data], "%s read from the shard Kinesis put it in", p.data)
	}
	// Closed shards were read to their end; open ones were not declared finished.
	for _, s := range []string{id(s0), id(s1), id(upper)} {
		assert.True(t, w.finished[s], "%s read to its end", s)
	}
	for _, s := range []string{id(lower), merged} {
		assert.False(t, w.finished[s], "%s is open", s)
		assert.NotEmpty(t, w.writes[s], "%s has records", s)
	}
	// Every record of a parent is stored before any record of its children.
	lastOf := func(shard string) int { return seen[w.writes[shard][len(w.writes[shard])-1]] }
	firstOf := func(shard string) int { return seen[w.writes[shard][0]] }
	for child, ps := range parents {
		for _, parent := range ps {
			if len(w.writes[parent]) > 0 && len(w.writes[child]) > 0 {
				assert.Less(t, lastOf(parent), firstOf(child), "%s ends before %s starts", parent, child)
			}
		}
	}
	// So a partition key's records are stored in the order they were put.
	pos := map[string]int{}
	for _, d := range w.order {
		key, n, _ := strings.Cut(d, "#")
		var i int
		_, err := fmt.Sscanf(n, "%d", &i)
		require.NoError(t, err)
		require.Equal(t, pos[key], i, "%s in order", key)
		pos[key]++
	}
}
