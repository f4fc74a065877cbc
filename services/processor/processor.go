// Package processor is the stream processor's core: it reads observation records shard by shard
// from a RecordSource (Kinesis in production), validates them, stores each batch with its
// shard's checkpoint in one PostgreSQL transaction, then updates the latest vitals in Redis.
//
// Guarantees:
//   - every valid record is stored exactly once, whatever the stream replays (idempotent writes);
//   - every invalid record is stored in the dead-letter table with its reason;
//   - a checkpoint never covers a record that is not stored (same transaction);
//   - on shutdown (context cancelled) a batch already fetched is still written and checkpointed,
//     and nothing new is fetched; what was not checkpointed is read again at the next start;
//   - after resharding, a child shard is read only when its parents are read to their end, so a
//     patient's records are processed in order;
//   - with shard leases (Config.Leases, several processors on one stream), a shard is read by
//     the one worker that holds its lease, and a batch is stored only while that lease is held
//     (fencing): see leases.go.
//
// A storage error stops the processor (Run returns it): the task restarts and resumes from the
// checkpoints, which is simpler and safer than retrying inside.
package processor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// Record is one stream record.
type Record struct {
	SequenceNumber string
	Data           []byte
}

// Shard is a shard of the stream; ParentIDs name the shards it was split or merged from.
type Shard struct {
	ID        string
	ParentIDs []string
}

// Fetched is the answer to a Fetch.
type Fetched struct {
	Records []Record
	// End is true when the shard is closed (resharded) and no record follows these.
	End bool
}

// RecordSource is the stream as the processor needs it.
type RecordSource interface {
	// Shards lists the stream's shards.
	Shards(ctx context.Context) ([]Shard, error)
	// Fetch returns, in order, up to limit records of the shard that follow the sequence number
	// after ("" for the oldest record the stream retains). No record and no End means nothing new.
	Fetch(ctx context.Context, shardID, after string, limit int) (Fetched, error)
}

// Writer stores batches and reads checkpoints (store.Store).
type Writer interface {
	Write(ctx context.Context, b store.Batch) (store.Result, error)
	Checkpoint(ctx context.Context, stream, shardID string) (seq string, finished, found bool, err error)
}

// Cache receives the stored observations as latest vitals (store.Vitals).
type Cache interface {
	Update(ctx context.Context, recs []observation.Record) error
}

// Config tunes the processor; zero values take the defaults.
type Config struct {
	Stream       string        // stream name, the checkpoints' namespace (required)
	BatchSize    int           // records fetched and written per batch (default 500)
	PollInterval time.Duration // wait after an empty fetch (default 1s)
	ShardRefresh time.Duration // how often the shard list is read again (default 30s)
	WriteTimeout time.Duration // bound of a batch's write, also during shutdown (default 30s)
	Now          func() time.Time
	Logger       *slog.Logger

	// Leases coordinates several processors on the stream (store.Store); nil means this
	// processor is the stream's only consumer and reads every shard.
	Leases LeaseStore
	// Owner is this worker's unique ID (required with Leases), e.g. host/task + random.
	Owner string
	// LeaseDuration is how long a lease (and the worker's heartbeat) lasts unless renewed
	// (default 30s); LeaseRenewInterval how often they are renewed and the leases rebalanced
	// (default LeaseDuration/3; at most LeaseDuration/3).
	LeaseDuration      time.Duration
	LeaseRenewInterval time.Duration
}

// Stats counts what the processor did since it started.
type Stats struct {
	Batches, Stored, Duplicates, DeadLettered, Conflicts, CacheErrors int64
	// LeasesTaken and LeasesLost count shard leases taken and lost (taken over, or not renewed
	// in time) with Config.Leases.
	LeasesTaken, LeasesLost int64
}

// Processor reads a stream into the store.
type Processor struct {
	src   RecordSource
	w     Writer
	cache Cache
	cfg   Config

	batches, stored, duplicates, deadLettered, conflicts, cacheErrors atomic.Int64
	leasesTaken, leasesLost                                           atomic.Int64
}

// New checks the configuration and returns a processor; cache may be nil.
func New(src RecordSource, w Writer, cache Cache, cfg Config) (*Processor, error) {
	if src == nil || w == nil {
		return nil, errors.New("processor: a record source and a writer are required")
	}
	if cfg.Stream == "" {
		return nil, errors.New("processor: Config.Stream (the stream name) is required")
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 500
	}
	if cfg.BatchSize < 1 || cfg.BatchSize > 10000 {
		return nil, fmt.Errorf("processor: batch size %d is outside [1, 10000]", cfg.BatchSize)
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.ShardRefresh <= 0 {
		cfg.ShardRefresh = 30 * time.Second
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if err := checkLeaseConfig(&cfg); err != nil {
		return nil, err
	}
	return &Processor{src: src, w: w, cache: cache, cfg: cfg}, nil
}

// Stats returns the counters.
func (p *Processor) Stats() Stats {
	return Stats{
		Batches: p.batches.Load(), Stored: p.stored.Load(), Duplicates: p.duplicates.Load(),
		DeadLettered: p.deadLettered.Load(), Conflicts: p.conflicts.Load(), CacheErrors: p.cacheErrors.Load(),
		LeasesTaken: p.leasesTaken.Load(), LeasesLost: p.leasesLost.Load(),
	}
}

// Run processes the stream until ctx is cancelled (then it returns nil once every shard worker
// has written what it fetched) or a shard fails (then it stops the others and returns the error).
// With Config.Leases it reads only the shards whose leases it holds, and releases them on return.
func (p *Processor) Run(ctx context.Context) error {
	if p.cfg.Leases != nil {
		return p.runLeased(ctx)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	running := map[string]bool{}
	done := map[string]bool{} // read to their end by this process
	shardDone := make(chan struct{}, 1)

	fail := func(err error) { cancel(err) }
	defer wg.Wait()

	refresh := time.NewTicker(p.cfg.ShardRefresh)
	defer refresh.Stop()
	for {
		if err := p.startShards(ctx, &wg, &mu, running, done, shardDone, fail); err != nil {
			cancel(err)
		}
		select {
		case <-ctx.Done():
			wg.Wait()
			if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return nil
		case <-refresh.C:
		case <-shardDone:
		}
	}
}

// startShards starts a worker for each shard that is not running, not finished, and whose
// parents are finished (or no longer listed: trimmed from the stream).
func (p *Processor) startShards(ctx context.Context, wg *sync.WaitGroup, mu *sync.Mutex, running, done map[string]bool,
	shardDone chan<- struct{}, fail func(error)) error {
	shards, err := p.src.Shards(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("processor: list shards of %s: %w", p.cfg.Stream, err)
	}
	listed := make(map[string]bool, len(shards))
	for _, s := range shards {
		listed[s.ID] = true
	}
	finished := func(id string) (bool, error) {
		mu.Lock()
		d := done[id]
		mu.Unlock()
		if d {
			return true, nil
		}
		_, fin, _, err := p.w.Checkpoint(ctx, p.cfg.Stream, id)
		return fin, err
	}
	for _, s := range shards {
		mu.Lock()
		busy := running[s.ID] || done[s.ID]
		mu.Unlock()
		if busy {
			continue
		}
		fin, err := finished(s.ID)
		if err != nil {
			return fmt.Errorf("processor: shard %s: %w", s.ID, err)
		}
		if fin {
			mu.Lock()
			done[s.ID] = true
			mu.Unlock()
			continue
		}
		ready := true
		for _, parent := range s.ParentIDs {
			if !listed[parent] {
				continue // expired from the stream: nothing left to read before the child
			}
			pf, err := finished(parent)
			if err != nil {
				return fmt.Errorf("processor: parent %s of shard %s: %w", parent, s.ID, err)
			}
			ready = ready && pf
		}
		if !ready {
			continue
		}
		mu.Lock()
		running[s.ID] = true
		mu.Unlock()
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			end, err := p.runShard(ctx, id, nil)
			mu.Lock()
			delete(running, id)
			if end {
				done[id] = true
			}
			mu.Unlock()
			if err != nil {
				fail(err)
				return
			}
			if end {
				select {
				case shardDone <- struct{}{}: // children may start now
				default:
				}
			}
		}(s.ID)
	}
	return nil
}

// runShard reads one shard from its checkpoint until the shard ends (true) or ctx is cancelled.
// With a lease, it also stops when the lease was not renewed in time or is lost (a fenced write).
func (p *Processor) runShard(ctx context.Context, shardID string, lease *heldLease) (bool, error) {
	log := p.cfg.Logger.With("stream", p.cfg.Stream, "shard", shardID)
	var fence *store.Lease
	if lease != nil {
		fence = &lease.lease
		log = log.With("lease_token", lease.lease.Token)
	}
	after, finished, _, err := p.w.Checkpoint(ctx, p.cfg.Stream, shardID)
	if err != nil {
		if ctx.Err() != nil {
			return false, nil
		}
		return false, fmt.Errorf("processor: shard %s: %w", shardID, err)
	}
	if finished {
		return true, nil
	}
	log.Info("shard started", "after", after)
	for ctx.Err() == nil {
		if lease != nil && !lease.valid() {
			p.leasesLost.Add(1)
			log.Warn("shard stopped: its lease was not renewed in time", "checkpoint", after)
			return false, nil
		}
		f, err := p.src.Fetch(ctx, shardID, after, p.cfg.BatchSize)
		if err != nil {
			if ctx.Err() != nil {
				return false, nil
			}
			return false, fmt.Errorf("processor: fetch shard %s: %w", shardID, err)
		}
		if len(f.Records) == 0 && !f.End {
			select {
			case <-ctx.Done():
			case <-time.After(p.cfg.PollInterval):
			}
			continue
		}
		// Fetched records are written even when shutdown began meanwhile: the write has its
		// own deadline and ignores the cancellation.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.WriteTimeout)
		err = p.process(wctx, log, shardID, fence, f)
		cancel()
		if lease != nil && errors.Is(err, store.ErrLeaseLost) {
			// Another worker holds the shard now: nothing of this batch was stored, and it reads
			// the shard from the checkpoint, which this worker did not move.
			if !lease.lost.Swap(true) {
				p.leasesLost.Add(1)
			}
			log.Warn("shard dropped: its lease was lost, the batch was not stored", "checkpoint", after, "error", err)
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if n := len(f.Records); n > 0 {
			after = f.Records[n-1].SequenceNumber
		}
		if f.End {
			log.Info("shard read to its end", "checkpoint", after)
			return true, nil
		}
	}
	log.Info("shard stopped", "checkpoint", after)
	return false, nil
}

// process validates and stores one fetched batch, then updates the cache.
// A lease, when given, fences the write (store.ErrLeaseLost when it is no longer held).
func (p *Processor) process(ctx context.Context, log *slog.Logger, shardID string, lease *store.Lease, f Fetched) error {
	now := p.cfg.Now()
	b := store.Batch{Stream: p.cfg.Stream, ShardID: shardID, Finished: f.End, Lease: lease}
	for _, r := range f.Records {
		rec, err := observation.Decode(r.Data, now)
		if err != nil {
			b.DeadLetters = append(b.DeadLetters, store.DeadLetter{ShardID: shardID, Sequence: r.SequenceNumber, Payload: r.Data, Reason: err.Error()})
			continue
		}
		b.Observations = append(b.Observations, store.Observation{Record: rec, ShardID: shardID, Sequence: r.SequenceNumber, Payload: r.Data})
	}
	if n := len(f.Records); n > 0 {
		b.Checkpoint = f.Records[n-1].SequenceNumber
	}
	res, err := p.w.Write(ctx, b)
	if err != nil {
		return fmt.Errorf("processor: %w", err)
	}
	p.batches.Add(1)
	p.stored.Add(int64(len(res.Inserted)))
	p.duplicates.Add(int64(res.Duplicates))
	p.deadLettered.Add(int64(res.DeadLettered))
	p.conflicts.Add(int64(res.Conflicts))
	if res.Checkpoint != b.Checkpoint && b.Checkpoint != "" {
		log.Warn("checkpoint is ahead of this batch: another consumer read this shard further")
	}
	if p.cache != nil && len(res.Inserted) > 0 {
		recs := make([]observation.Record, len(res.Inserted))
		for i, o := range res.Inserted {
			recs[i] = o.Record
		}
		// The cache is not the system of record: a failure is counted and logged (the read API
		// falls back to PostgreSQL), and the next observation of the patient refreshes it.
		if err := p.cache.Update(ctx, recs); err != nil {
			p.cacheErrors.Add(1)
			log.Error("latest vitals not updated in the cache", "observations", len(recs), "error", err)
		}
	}
	log.Debug("batch stored", "records", len(f.Records), "stored", len(res.Inserted), "duplicates", res.Duplicates,
		"dead_letters", res.DeadLettered)
	return nil
}
