package processor

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// recordingWriter keeps batches in memory; err, when set, fails every write.
type recordingWriter struct {
	mu      sync.Mutex
	batches []store.Batch
	err     error
}

func (w *recordingWriter) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.batches)
}

func (w *recordingWriter) Write(_ context.Context, b store.Batch) (store.Result, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return store.Result{}, w.err
	}
	w.batches = append(w.batches, b)
	return store.Result{Inserted: b.Observations, DeadLettered: len(b.DeadLetters), Checkpoint: b.Checkpoint}, nil
}

func (w *recordingWriter) Checkpoint(context.Context, string, string) (string, bool, bool, error) {
	return "", false, false, nil
}

func TestNewChecksConfig(t *testing.T) {
	src, w := newFakeSource(), &recordingWriter{}
	tests := []struct {
		name string
		src  RecordSource
		w    Writer
		cfg  Config
		want string
	}{
		{"no source", nil, w, Config{Stream: "s"}, "a record source and a writer are required"},
		{"no writer", src, nil, Config{Stream: "s"}, "a record source and a writer are required"},
		{"no stream", src, w, Config{}, "Config.Stream"},
		{"batch too large", src, w, Config{Stream: "s", BatchSize: 10001}, "batch size 10001 is outside [1, 10000]"},
		{"negative batch", src, w, Config{Stream: "s", BatchSize: -1}, "batch size -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.src, tt.w, nil, tt.cfg)
			require.ErrorContains(t, err, tt.want)
		})
	}
	p, err := New(src, w, nil, Config{Stream: "s"})
	require.NoError(t, err)
	assert.Equal(t, 500, p.cfg.BatchSize)
}

// noLeases is a LeaseStore for configuration tests (it is never called).
type noLeases struct{}

func (noLeases) Balance(context.Context, store.BalanceRequest) (store.BalanceResult, error) {
	return store.BalanceResult{}, errors.New("not used")
}

func (noLeases) RenewLeases(context.Context, []store.Lease, time.Duration) ([]store.Lease, error) {
	return nil, errors.New("not used")
}

func (noLeases) ReleaseLease(context.Context, store.Lease) (bool, error) {
	return false, errors.New("not used")
}

func (noLeases) DeregisterWorker(context.Context, string, string) error {
	return errors.New("not used")
}

func TestNewChecksLeaseConfig(t *testing.T) {
	src, w := newFakeSource(), &recordingWriter{}
	tests := []struct {
		name            string
		cfg             Config
		duration, renew time.Duration
		want            string
	}{
		{name: "defaults", cfg: Config{Owner: "w-1"}, duration: 30 * time.Second, renew: 10 * time.Second},
		{name: "renewal a third of the duration", cfg: Config{Owner: "w-1", LeaseDuration: 9 * time.Second}, duration: 9 * time.Second, renew: 3 * time.Second},
		{name: "both set", cfg: Config{Owner: "w-1", LeaseDuration: time.Minute, LeaseRenewInterval: time.Second}, duration: time.Minute, renew: time.Second},
		{name: "no owner", cfg: Config{}, want: "Config.Owner (this worker's unique ID) is required with leases"},
		{name: "duration too short", cfg: Config{Owner: "w-1", LeaseDuration: time.Millisecond}, want: "lease duration 1ms is below 10ms"},
		{name: "renewal over a third", cfg: Config{Owner: "w-1", LeaseDuration: 30 * time.Second, LeaseRenewInterval: 11 * time.Second},
			want: "lease renewal interval 11s must be positive and at most a third of the lease duration 30s"},
		{name: "negative renewal", cfg: Config{Owner: "w-1", LeaseRenewInterval: -time.Second}, want: "lease renewal interval -1s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Stream, tt.cfg.Leases = "vitals", noLeases{}
			p, err := New(src, w, nil, tt.cfg)
			if tt.want != "" {
				require.ErrorContains(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.duration, p.cfg.LeaseDuration)
			assert.Equal(t, tt.renew, p.cfg.LeaseRenewInterval)
		})
	}
	// Without leases, no owner is needed and nothing is defaulted.
	p, err := New(src, w, nil, Config{Stream: "vitals"})
	require.NoError(t, err)
	assert.Zero(t, p.cfg.LeaseDuration)
}

func TestRunReturnsTheLeaseStoreError(t *testing.T) {
	src := newFakeSource()
	src.addShard("shard-0", false)
	p, err := New(src, &recordingWriter{}, nil, Config{Stream: "vitals", Leases: noLeases{}, Owner: "w-1", Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.Run(ctx)
	require.ErrorContains(t, err, "processor: lease round: not used")
	require.NoError(t, ctx.Err(), "Run returned because of the error, not the timeout")
}

func TestProcessSplitsValidAndInvalid(t *testing.T) {
	src := newFakeSource()
	src.addShard("shard-0", true)
	good := vital("d-1", "p-1", "fac-a", observation.CodeHeartRate, 80, "/min", testNow)
	seqGood := src.put("shard-0", good)
	seqBad := src.put("shard-0", invalidRecords[3])
	w := &recordingWriter{}
	p, err := New(src, w, nil, Config{Stream: "vitals", Now: func() time.Time { return testNow }, PollInterval: time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, p.Run(contextUntil(t, func() bool { return w.count() == 1 })))

	require.Len(t, w.batches, 1)
	b := w.batches[0]
	assert.Equal(t, "vitals", b.Stream)
	assert.Equal(t, seqBad, b.Checkpoint)
	assert.True(t, b.Finished)
	require.Len(t, b.Observations, 1)
	assert.Equal(t, seqGood, b.Observations[0].Sequence)
	assert.Equal(t, good, b.Observations[0].Payload)
	assert.InDelta(t, 80.0, b.Observations[0].Value, 0)
	require.Len(t, b.DeadLetters, 1)
	assert.Equal(t, store.DeadLetter{ShardID: "shard-0", Sequence: seqBad, Payload: invalidRecords[3],
		Reason: "value: outside the plausible range [20, 300] /min of 8867-4 (heart rate)"}, b.DeadLetters[0])
	assert.Equal(t, Stats{Batches: 1, Stored: 1, DeadLettered: 1}, p.Stats())
}

func TestRunReturnsTheWriteError(t *testing.T) {
	src := newFakeSource()
	src.addShard("shard-0", false)
	src.put("shard-0", invalidRecords[0])
	p, err := New(src, &recordingWriter{err: errors.New("disk full")}, nil, Config{Stream: "vitals"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.Run(ctx)
	require.ErrorContains(t, err, "disk full")
	require.NoError(t, ctx.Err(), "Run returned because of the error, not the timeout")
}

// contextUntil returns a context cancelled once cond holds (checked every few ms).
func contextUntil(t *testing.T, cond func() bool) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	go func() {
		for ctx.Err() == nil && !cond() {
			time.Sleep(2 * time.Millisecond)
		}
		cancel()
	}()
	return ctx
}

// stallingLeases grants shard-0 once, then its renewals hang (PostgreSQL unreachable).
type stallingLeases struct {
	mu       sync.Mutex
	granted  bool
	released []store.Lease
}

func (l *stallingLeases) Balance(_ context.Context, req store.BalanceRequest) (store.BalanceResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.granted {
		return store.BalanceResult{}, nil
	}
	l.granted = true
	return store.BalanceResult{Claimed: []store.Lease{{Stream: req.Stream, ShardID: "shard-0", Owner: req.Owner, Token: 1}}}, nil
}

func (l *stallingLeases) RenewLeases(ctx context.Context, _ []store.Lease, _ time.Duration) ([]store.Lease, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (l *stallingLeases) ReleaseLease(_ context.Context, lease store.Lease) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.released = append(l.released, lease)
	return true, nil
}

func (l *stallingLeases) DeregisterWorker(context.Context, string, string) error { return nil }

func TestShardStopsWhenItsLeaseIsNotRenewedInTime(t *testing.T) {
	src := newFakeSource()
	src.addShard("shard-0", false)
	leases := &stallingLeases{}
	p, err := New(src, &recordingWriter{}, nil, Config{Stream: "vitals", PollInterval: time.Millisecond, Leases: leases, Owner: "w-1",
		LeaseDuration: 300 * time.Millisecond, LeaseRenewInterval: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	fetches := func() int {
		src.mu.Lock()
		defer src.mu.Unlock()
		return len(src.events)
	}
	require.Eventually(t, func() bool { return p.Stats().LeasesLost == 1 }, 10*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool {
		leases.mu.Lock()
		defer leases.mu.Unlock()
		return len(leases.released) == 1
	}, 10*time.Second, 5*time.Millisecond, "the stopped shard's lease is released (conditionally) when it stops")
	n := fetches()
	require.Positive(t, n)
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, n, fetches(), "no fetch after the lease's local validity ended")
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	assert.Equal(t, int64(1), p.Stats().LeasesTaken)
}
