package kinesissource

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/processor"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

const streamARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod"

// fakeKinesis answers with the SDK's own input and output types, as Kinesis would: iterators
// are opaque strings, a closed shard's last GetRecords has no NextShardIterator.
type fakeKinesis struct {
	mu      sync.Mutex
	shards  []types.Shard
	records map[string][]types.Record
	closed  map[string]bool
	// failNext makes the next GetRecords fail with this error.
	failNext error

	listCalls     []*kinesis.ListShardsInput
	iteratorCalls []*kinesis.GetShardIteratorInput
	getCalls      int
}

func newFake() *fakeKinesis {
	return &fakeKinesis{records: map[string][]types.Record{}, closed: map[string]bool{}}
}

func (f *fakeKinesis) addShard(id string, closed bool, parent, adjacent string, n int) {
	sh := types.Shard{ShardId: aws.String(id)}
	if parent != "" {
		sh.ParentShardId = aws.String(parent)
	}
	if adjacent != "" {
		sh.AdjacentParentShardId = aws.String(adjacent)
	}
	f.shards = append(f.shards, sh)
	f.closed[id] = closed
	for i := range n {
		f.records[id] = append(f.records[id], types.Record{SequenceNumber: aws.String(fmt.Sprintf("4959%02d%050d", len(f.shards), i+1)),
			Data: []byte(fmt.Sprintf("%s#%d", id, i)), PartitionKey: aws.String("p")})
	}
}

func (f *fakeKinesis) ListShards(_ context.Context, in *kinesis.ListShardsInput, _ ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listCalls = append(f.listCalls, in)
	if in.NextToken != nil && in.StreamARN != nil {
		return nil, &types.InvalidArgumentException{Message: aws.String("NextToken and StreamARN cannot be provided together")}
	}
	// Two shards per page.
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi(strings.TrimPrefix(*in.NextToken, "page-"))
	}
	end := min(start+2, len(f.shards))
	out := &kinesis.ListShardsOutput{Shards: f.shards[start:end]}
	if end < len(f.shards) {
		out.NextToken = aws.String(fmt.Sprintf("page-%d", end))
	}
	return out, nil
}

func (f *fakeKinesis) GetShardIterator(_ context.Context, in *kinesis.GetShardIteratorInput, _ ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.iteratorCalls = append(f.iteratorCalls, in)
	id := aws.ToString(in.ShardId)
	idx := 0
	switch in.ShardIteratorType {
	case types.ShardIteratorTypeTrimHorizon:
	case types.ShardIteratorTypeAfterSequenceNumber:
		idx = -1
		for i, r := range f.records[id] {
			if aws.ToString(r.SequenceNumber) == aws.ToString(in.StartingSequenceNumber) {
				idx = i + 1
			}
		}
		if idx < 0 {
			return nil, &types.InvalidArgumentException{Message: aws.String("unknown sequence number")}
		}
	default:
		return nil, &types.InvalidArgumentException{Message: aws.String("unsupported iterator type")}
	}
	return &kinesis.GetShardIteratorOutput{ShardIterator: aws.String(fmt.Sprintf("%s|%d", id, idx))}, nil
}

func (f *fakeKinesis) GetRecords(_ context.Context, in *kinesis.GetRecordsInput, _ ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.getCalls++
	if err := f.failNext; err != nil {
		f.failNext = nil
		return nil, err
	}
	id, n, _ := strings.Cut(aws.ToString(in.ShardIterator), "|")
	idx, err := strconv.Atoi(n)
	if err != nil {
		return nil, &types.InvalidArgumentException{Message: aws.String("bad iterator")}
	}
	rs := f.records[id]
	end := min(idx+int(aws.ToInt32(in.Limit)), len(rs))
	out := &kinesis.GetRecordsOutput{Records: rs[idx:end], MillisBehindLatest: aws.Int64(0)}
	if !f.closed[id] || end != len(rs) {
		out.NextShardIterator = aws.String(fmt.Sprintf("%s|%d", id, end))
	}
	return out, nil
}

func TestShardsFollowsPagesAndParents(t *testing.T) {
	f := newFake()
	f.addShard("shardId-000000000000", true, "", "", 0)
	f.addShard("shardId-000000000001", true, "", "", 0)
	f.addShard("shardId-000000000002", false, "shardId-000000000000", "shardId-000000000001", 0) // merge
	src, err := New(f, streamARN)
	require.NoError(t, err)
	shards, err := src.Shards(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []processor.Shard{
		{ID: "shardId-000000000000"}, {ID: "shardId-000000000001"},
		{ID: "shardId-000000000002", ParentIDs: []string{"shardId-000000000000", "shardId-000000000001"}},
	}, shards)
	require.Len(t, f.listCalls, 2)
	assert.Equal(t, streamARN, aws.ToString(f.listCalls[0].StreamARN))
	assert.Equal(t, "vitals-prod", aws.ToString(f.listCalls[0].StreamName))
	assert.Nil(t, f.listCalls[1].StreamARN)
	assert.Nil(t, f.listCalls[1].StreamName)
	assert.Equal(t, "page-2", aws.ToString(f.listCalls[1].NextToken))
}

func TestFetchReusesIteratorsAndRecovers(t *testing.T) {
	f := newFake()
	f.addShard("shardId-000000000000", true, "", "", 5)
	src, err := New(f, streamARN)
	require.NoError(t, err)
	ctx := context.Background()
	seq := func(i int) string { return aws.ToString(f.records["shardId-000000000000"][i].SequenceNumber) }

	got, err := src.Fetch(ctx, "shardId-000000000000", "", 2)
	require.NoError(t, err)
	assert.Equal(t, processor.Fetched{Records: []processor.Record{
		{SequenceNumber: seq(0), Data: []byte("shardId-000000000000#0")}, {SequenceNumber: seq(1), Data: []byte("shardId-000000000000#1")},
	}}, got)
	require.Len(t, f.iteratorCalls, 1)
	assert.Equal(t, types.ShardIteratorTypeTrimHorizon, f.iteratorCalls[0].ShardIteratorType)
	assert.Equal(t, streamARN, aws.ToString(f.iteratorCalls[0].StreamARN))
	assert.Equal(t, "vitals-prod", aws.ToString(f.iteratorCalls[0].StreamName))

	// The next fetch from where the last ended reuses NextShardIterator.
	got, err = src.Fetch(ctx, "shardId-000000000000", seq(1), 2)
	require.NoError(t, err)
	require.Len(t, got.Records, 2)
	assert.Equal(t, seq(2), got.Records[0].SequenceNumber)
	assert.Len(t, f.iteratorCalls, 1)

	// An expired iterator is replaced from the checkpoint, once.
	f.failNext = &types.ExpiredIteratorException{Message: aws.String("Iterator expired")}
	got, err = src.Fetch(ctx, "shardId-000000000000", seq(3), 10)
	require.NoError(t, err)
	require.Len(t, f.iteratorCalls, 2)
	assert.Equal(t, types.ShardIteratorTypeAfterSequenceNumber, f.iteratorCalls[1].ShardIteratorType)
	assert.Equal(t, seq(3), aws.ToString(f.iteratorCalls[1].StartingSequenceNumber))
	assert.Equal(t, processor.Fetched{Records: []processor.Record{{SequenceNumber: seq(4), Data: []byte("shardId-000000000000#4")}}, End: true}, got)

	// Throttling reads as "nothing new"; other errors are returned with the shard named.
	f.failNext = &types.ProvisionedThroughputExceededException{Message: aws.String("Rate exceeded")}
	got, err = src.Fetch(ctx, "shardId-000000000000", seq(4), 10)
	require.NoError(t, err)
	assert.Equal(t, processor.Fetched{}, got)
	f.failNext = &types.ResourceNotFoundException{Message: aws.String("Stream not found")}
	_, err = src.Fetch(ctx, "shardId-000000000000", seq(4), 10)
	require.ErrorContains(t, err, "get records of shardId-000000000000")
	require.ErrorContains(t, err, "Stream not found")
}

func TestNewNeedsClientAndStream(t *testing.T) {
	_, err := New(nil, streamARN)
	require.Error(t, err)
	_, err = New(newFake(), "")
	require.Error(t, err)
	for name, arn := range map[string]string{
		"a name, not an ARN": "vitals-prod",
		"another service":    "arn:aws:sqs:eu-west-1:123456789012:stream/vitals-prod",
		"not a stream":       "arn:aws:kinesis:eu-west-1:123456789012:consumer/vitals-prod",
		"no stream name":     "arn:aws:kinesis:eu-west-1:123456789012:stream/",
		"a consumer ARN":     "arn:aws:kinesis:eu-west-1:123456789012:stream/vitals-prod/consumer/c:1",
		"too few parts":      "arn:aws:kinesis:eu-west-1:stream/vitals-prod",
	} {
		_, err := New(newFake(), arn)
		require.ErrorContains(t, err, "is not a Kinesis stream ARN", name)
	}
	src, err := New(newFake(), "arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/v.1_a-b")
	require.NoError(t, err)
	assert.Equal(t, "v.1_a-b", src.streamName)
}

// memWriter is an in-memory processor.Writer.
type memWriter struct {
	mu          sync.Mutex
	order       []string // record data in the order stored
	checkpoints map[string]string
	finished    map[string]bool
}

func (w *memWriter) Write(_ context.Context, b store.Batch) (store.Result, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range b.DeadLetters {
		w.order = append(w.order, string(d.Payload))
	}
	if b.Checkpoint != "" {
		w.checkpoints[b.ShardID] = b.Checkpoint
	}
	w.finished[b.ShardID] = w.finished[b.ShardID] || b.Finished
	return store.Result{DeadLettered: len(b.DeadLetters), Checkpoint: w.checkpoints[b.ShardID]}, nil
}

func (w *memWriter) Checkpoint(_ context.Context, _ string, shardID string) (string, bool, bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	seq, ok := w.checkpoints[shardID]
	return seq, w.finished[shardID], ok, nil
}

func TestProcessorReadsEveryShardInParentOrder(t *testing.T) {
	f := newFake()
	f.addShard("shardId-000000000000", true, "", "", 7)
	f.addShard("shardId-000000000001", false, "shardId-000000000000", "", 5) // split children
	f.addShard("shardId-000000000002", false, "shardId-000000000000", "", 5)
	src, err := New(f, streamARN)
	require.NoError(t, err)
	w := &memWriter{checkpoints: map[string]string{}, finished: map[string]bool{}}
	p, err := processor.New(src, w, nil, processor.Config{Stream: "vitals", BatchSize: 3, PollInterval: time.Millisecond, ShardRefresh: 5 * time.Millisecond})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			w.mu.Lock()
			n := len(w.order)
			w.mu.Unlock()
			if n == 17 {
				cancel()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	require.NoError(t, p.Run(ctx))
	w.mu.Lock()
	defer w.mu.Unlock()
	require.Len(t, w.order, 17, "every record, once (the test payloads are not observations: all dead-lettered)")
	for i := range 7 {
		assert.Equal(t, fmt.Sprintf("shardId-000000000000#%d", i), w.order[i], "the parent is read first, in order")
	}
	assert.True(t, w.finished["shardId-000000000000"])
}
