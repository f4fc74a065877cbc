// Package kinesissource reads a Kinesis data stream with the AWS SDK for Go v2 as a
// processor.RecordSource: shards (with their parents, for resharding) from ListShards, records
// from GetShardIterator (AFTER_SEQUENCE_NUMBER the checkpoint, or TRIM_HORIZON) and GetRecords.
// A shard whose GetRecords answers no next iterator is closed and read to its end.
//
// ListShards and GetShardIterator name the stream by both StreamARN and StreamName (Kinesis
// accepts either or both): Kinesis-compatible servers that predate StreamARN, such as the
// kinesalite the integration tests run against, require the name.
package kinesissource

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/carepulse/hipaa-pipeline/services/processor"
)

// API is the part of *kinesis.Client the source calls.
type API interface {
	ListShards(ctx context.Context, in *kinesis.ListShardsInput, opts ...func(*kinesis.Options)) (*kinesis.ListShardsOutput, error)
	GetShardIterator(ctx context.Context, in *kinesis.GetShardIteratorInput, opts ...func(*kinesis.Options)) (*kinesis.GetShardIteratorOutput, error)
	GetRecords(ctx context.Context, in *kinesis.GetRecordsInput, opts ...func(*kinesis.Options)) (*kinesis.GetRecordsOutput, error)
}

// maxLimit is GetRecords' largest Limit.
const maxLimit = 10000

// position is where the cached iterator of a shard stands.
type position struct {
	after    string
	iterator *string
}

// Source is a processor.RecordSource over one stream.
type Source struct {
	api        API
	streamARN  string
	streamName string

	mu    sync.Mutex
	iters map[string]position
}

var _ processor.RecordSource = (*Source)(nil)

// New returns a source of the stream with that ARN
// (arn:<partition>:kinesis:<region>:<account>:stream/<name>).
func New(api API, streamARN string) (*Source, error) {
	if api == nil || streamARN == "" {
		return nil, errors.New("kinesissource: a client and the stream ARN are required")
	}
	parts := strings.Split(streamARN, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kinesis" || !strings.HasPrefix(parts[5], "stream/") ||
		len(parts[5]) == len("stream/") || strings.Contains(parts[5][len("stream/"):], "/") {
		return nil, fmt.Errorf("kinesissource: %q is not a Kinesis stream ARN (arn:<partition>:kinesis:<region>:<account>:stream/<name>)", streamARN)
	}
	return &Source{api: api, streamARN: streamARN, streamName: parts[5][len("stream/"):], iters: map[string]position{}}, nil
}

// Shards lists every shard of the stream (open and closed but retained), following pages.
func (s *Source) Shards(ctx context.Context) ([]processor.Shard, error) {
	var out []processor.Shard
	in := &kinesis.ListShardsInput{StreamARN: aws.String(s.streamARN), StreamName: aws.String(s.streamName)}
	for {
		page, err := s.api.ListShards(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("kinesissource: list shards: %w", err)
		}
		for _, sh := range page.Shards {
			ps := processor.Shard{ID: aws.ToString(sh.ShardId)}
			for _, p := range []*string{sh.ParentShardId, sh.AdjacentParentShardId} {
				if aws.ToString(p) != "" {
					ps.ParentIDs = append(ps.ParentIDs, *p)
				}
			}
			out = append(out, ps)
		}
		if aws.ToString(page.NextToken) == "" {
			return out, nil
		}
		// With a NextToken, ListShards refuses the stream's name and ARN.
		in = &kinesis.ListShardsInput{NextToken: page.NextToken}
	}
}

func (s *Source) iterator(ctx context.Context, shardID, after string) (*string, error) {
	in := &kinesis.GetShardIteratorInput{StreamARN: aws.String(s.streamARN), StreamName: aws.String(s.streamName), ShardId: aws.String(shardID),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
	if after != "" {
		in.ShardIteratorType = types.ShardIteratorTypeAfterSequenceNumber
		in.StartingSequenceNumber = aws.String(after)
	}
	out, err := s.api.GetShardIterator(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("kinesissource: shard iterator of %s: %w", shardID, err)
	}
	return out.ShardIterator, nil
}

// Fetch returns the records of the shard after the sequence number after. It reuses the shard's
// iterator when it stands at after, else (first call, a checkpoint from another process, or an
// expired iterator) it asks for a new one. Throttling answers "nothing new" so the processor
// polls again later.
func (s *Source) Fetch(ctx context.Context, shardID, after string, limit int) (processor.Fetched, error) {
	limit = max(1, min(limit, maxLimit))
	s.mu.Lock()
	pos, ok := s.iters[shardID]
	s.mu.Unlock()
	var it *string
	if ok && pos.after == after {
		it = pos.iterator
	}
	for attempt := 0; ; attempt++ {
		if it == nil {
			var err error
			if it, err = s.iterator(ctx, shardID, after); err != nil {
				return processor.Fetched{}, err
			}
		}
		out, err := s.api.GetRecords(ctx, &kinesis.GetRecordsInput{StreamARN: aws.String(s.streamARN), ShardIterator: it, Limit: aws.Int32(int32(limit))})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) && attempt == 0 {
			it = nil
			continue
		}
		var throttled *types.ProvisionedThroughputExceededException
		if errors.As(err, &throttled) {
			return processor.Fetched{}, nil
		}
		if err != nil {
			return processor.Fetched{}, fmt.Errorf("kinesissource: get records of %s: %w", shardID, err)
		}
		f := processor.Fetched{Records: make([]processor.Record, 0, len(out.Records))}
		next := after
		for _, r := range out.Records {
			next = aws.ToString(r.SequenceNumber)
			f.Records = append(f.Records, processor.Record{SequenceNumber: next, Data: r.Data})
		}
		s.mu.Lock()
		if out.NextShardIterator == nil {
			f.End = true
			delete(s.iters, shardID)
		} else {
			s.iters[shardID] = position{after: next, iterator: out.NextShardIterator}
		}
		s.mu.Unlock()
		return f, nil
	}
}
