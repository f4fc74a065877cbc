package processor

import (
	"context"
	"errors"
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
