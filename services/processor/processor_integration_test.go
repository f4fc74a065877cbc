//go:build integration

package processor

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/internal/testenv"
	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

type env struct {
	st     *store.Store
	vitals *store.Vitals
}

func newEnv(t *testing.T) env {
	t.Helper()
	st, err := store.Open(context.Background(), testenv.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	rdb, prefix := testenv.NewRedis(t)
	v, err := store.NewVitals(rdb, prefix, time.Hour)
	require.NoError(t, err)
	return env{st: st, vitals: v}
}

func (e env) processor(t *testing.T, src RecordSource, batch int) *Processor {
	t.Helper()
	p, err := New(src, e.st, e.vitals, Config{Stream: "vitals", BatchSize: batch, PollInterval: 5 * time.Millisecond,
		ShardRefresh: 20 * time.Millisecond, Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return p
}

// runUntilCheckpointed runs p until every listed shard's checkpoint is its last record, then
// cancels it and checks it shut down cleanly.
func (e env) runUntilCheckpointed(t *testing.T, p *Processor, src *fakeSource, shards ...string) {
	t.Helper()
	ctx := contextUntil(t, func() bool {
		for _, s := range shards {
			seq, _, _, err := e.st.Checkpoint(context.Background(), "vitals", s)
			if err != nil || seq != src.last(s) {
				return false
			}
		}
		return true
	})
	require.NoError(t, p.Run(ctx))
	for _, s := range shards {
		seq, _, _, err := e.st.Checkpoint(context.Background(), "vitals", s)
		require.NoError(t, err)
		require.Equal(t, src.last(s), seq, "shard %s not checkpointed to its end before the timeout", s)
	}
}

type storedObs struct {
	Device, Code, Patient, Facility, Unit, Seq string
	At, Ingested                               time.Time
	Value                                      float64
}

func snapshot(t *testing.T, st *store.Store) (map[string]storedObs, map[string]string) {
	t.Helper()
	ctx := context.Background()
	rows, err := st.Pool().Query(ctx, `SELECT device_id, code, patient_id, facility_id, unit, stream_sequence, observed_at, ingested_at, value FROM observations`)
	require.NoError(t, err)
	obs := map[string]storedObs{}
	for rows.Next() {
		var o storedObs
		require.NoError(t, rows.Scan(&o.Device, &o.Code, &o.Patient, &o.Facility, &o.Unit, &o.Seq, &o.At, &o.Ingested, &o.Value))
		k := o.Device + "|" + o.Code + "|" + o.At.UTC().Format(time.RFC3339Nano)
		require.NotContains(t, obs, k)
		obs[k] = o
	}
	require.NoError(t, rows.Err())
	rows, err = st.Pool().Query(ctx, `SELECT stream_shard_id || '/' || stream_sequence, reason FROM dead_letters`)
	require.NoError(t, err)
	dead := map[string]string{}
	for rows.Next() {
		var k, reason string
		require.NoError(t, rows.Scan(&k, &reason))
		dead[k] = reason
	}
	require.NoError(t, rows.Err())
	return obs, dead
}

// feed puts n records per shard: vitals of 20 patients of two facilities, every 10th invalid.
// It returns the expected observations by key and the expected dead-letter reasons by position.
func feed(src *fakeSource, shards []string, n int) (map[string]float64, map[string]string) {
	return feedFrom(src, shards, n, 0)
}

// feedFrom is feed with observation times shifted by offset (so a second feed adds new keys).
func feedFrom(src *fakeSource, shards []string, n int, offset time.Duration) (map[string]float64, map[string]string) {
	want, dead := map[string]float64{}, map[string]string{}
	codes := []struct {
		code, unit string
		base       float64
	}{{observation.CodeHeartRate, "/min", 70}, {observation.CodeSpO2, "%", 95}, {observation.CodeBodyTemperature, "Cel", 37}}
	for si, s := range shards {
		for i := range n {
			if i%10 == 9 {
				data := invalidRecords[(i/10)%len(invalidRecords)]
				seq := src.put(s, data)
				_, err := observation.Decode(data, testNow)
				dead[s+"/"+seq] = err.Error()
				continue
			}
			c := codes[i%len(codes)]
			patient := fmt.Sprintf("p-%d", (si*7+i)%20)
			device := "dev-" + patient
			at := testNow.Add(-time.Hour + offset + time.Duration(si*n+i)*time.Second)
			value := c.base + float64(i%5)
			src.put(s, vital(device, patient, fmt.Sprintf("fac-%d", (si*7+i)%20%2), c.code, value, c.unit, at))
			want[device+"|"+c.code+"|"+at.UTC().Format(time.RFC3339Nano)] = value
		}
	}
	return want, dead
}

func TestEveryValidRecordStoredOnceAcrossAReplay(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	shards := []string{"shardId-000000000000", "shardId-000000000001"}
	for _, s := range shards {
		src.addShard(s, false)
	}
	want, wantDead := feed(src, shards, 400)

	p := e.processor(t, src, 64)
	e.runUntilCheckpointed(t, p, src, shards...)
	obs, dead := snapshot(t, e.st)
	require.Len(t, obs, len(want))
	for k, v := range want {
		require.Contains(t, obs, k)
		assert.InDelta(t, v, obs[k].Value, 0, k)
	}
	assert.Equal(t, wantDead, dead)
	assert.Equal(t, Stats{Batches: p.Stats().Batches, Stored: int64(len(want)), DeadLettered: int64(len(wantDead))}, p.Stats())
	assert.GreaterOrEqual(t, p.Stats().Batches, int64(2*400/64))

	// The latest vitals in Redis are the newest observation per code.
	latest, err := e.vitals.LatestVitals(context.Background(), "fac-1", "p-1")
	require.NoError(t, err)
	require.NotEmpty(t, latest)
	for code, l := range latest {
		var newest time.Time
		for _, o := range obs {
			if o.Patient == "p-1" && o.Facility == "fac-1" && o.Code == code && o.At.After(newest) {
				newest = o.At
			}
		}
		assert.True(t, l.ObservedAt.Equal(newest), "code %s: cached %s, newest stored %s", code, l.ObservedAt, newest)
	}

	// Replay: checkpoints lost (or the stream re-delivering everything): nothing changes.
	_, err = e.st.Pool().Exec(context.Background(), `DELETE FROM checkpoints`)
	require.NoError(t, err)
	replay := e.processor(t, src, 100)
	e.runUntilCheckpointed(t, replay, src, shards...)
	obs2, dead2 := snapshot(t, e.st)
	assert.Equal(t, obs, obs2, "a replay changes no stored observation (ingested_at included)")
	assert.Equal(t, dead, dead2)
	assert.Equal(t, int64(0), replay.Stats().Stored)
	assert.Equal(t, int64(len(want)), replay.Stats().Duplicates)
	assert.Equal(t, int64(0), replay.Stats().DeadLettered)
}

func TestChildShardsWaitForTheirParent(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	src.addShard("parent", true)
	src.addShard("child-a", false, "parent")
	src.addShard("child-b", false, "parent")
	for i := range 50 {
		src.put("parent", vital("dev-1", "p-1", "fac-0", observation.CodeHeartRate, 60+float64(i%10), "/min", testNow.Add(time.Duration(i-200)*time.Second)))
		src.put("child-a", vital("dev-1", "p-1", "fac-0", observation.CodeHeartRate, 100, "/min", testNow.Add(time.Duration(i-100)*time.Second)))
		src.put("child-b", vital("dev-2", "p-2", "fac-0", observation.CodeSpO2, 90, "%", testNow.Add(time.Duration(i-100)*time.Second)))
	}
	p := e.processor(t, src, 16)
	e.runUntilCheckpointed(t, p, src, "parent", "child-a", "child-b")

	end := src.eventIndex("end parent")
	require.GreaterOrEqual(t, end, 0)
	for _, c := range []string{"child-a", "child-b"} {
		assert.Greater(t, src.eventIndex("fetch "+c), end, "%s was read before its parent ended", c)
	}
	_, finished, _, err := e.st.Checkpoint(context.Background(), "vitals", "parent")
	require.NoError(t, err)
	assert.True(t, finished)
	obs, _ := snapshot(t, e.st)
	assert.Len(t, obs, 150)
	latest, err := e.vitals.LatestVitals(context.Background(), "fac-0", "p-1")
	require.NoError(t, err)
	assert.InDelta(t, 100.0, latest[observation.CodeHeartRate].Value, 0, "the child's newer value is the latest")

	// A restarted processor skips the finished parent.
	again := e.processor(t, src, 16)
	src.mu.Lock()
	src.events = nil
	src.mu.Unlock()
	e.runUntilCheckpointed(t, again, src, "parent", "child-a", "child-b")
	assert.Equal(t, -1, src.eventIndex("fetch parent"))
}

func TestShutdownWritesWhatWasFetched(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	src.addShard("shard-0", false)
	for i := range 30 {
		src.put("shard-0", vital("dev-1", "p-1", "fac-0", observation.CodeHeartRate, 70, "/min", testNow.Add(time.Duration(i-100)*time.Second)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// SIGTERM arrives while the first batch is in flight, between fetch and write.
	src.onFetch = func(string) { cancel() }
	p := e.processor(t, src, 10)
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	seq, _, found, err := e.st.Checkpoint(context.Background(), "vitals", "shard-0")
	require.NoError(t, err)
	require.True(t, found, "the fetched batch was checkpointed")
	obs, _ := snapshot(t, e.st)
	require.Len(t, obs, 10, "exactly the fetched batch was stored, nothing more fetched")
	src.mu.Lock()
	tenth := src.records["shard-0"][9].SequenceNumber
	src.mu.Unlock()
	assert.Equal(t, tenth, seq)

	// The next start resumes after the checkpoint.
	src.onFetch = nil
	e.runUntilCheckpointed(t, e.processor(t, src, 10), src, "shard-0")
	obs, _ = snapshot(t, e.st)
	assert.Len(t, obs, 30)
}

func TestShutdownWhileWaitingForRecords(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	src.addShard("shard-0", false)
	p, err := New(src, e.st, e.vitals, Config{Stream: "vitals", PollInterval: time.Hour, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	require.Eventually(t, func() bool { return src.eventIndex("fetch shard-0") >= 0 }, 10*time.Second, 5*time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel while polling")
	}
}

func (f *fakeSource) last(shardID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.records[shardID]
	if len(rs) == 0 {
		return ""
	}
	return rs[len(rs)-1].SequenceNumber
}

func (f *fakeSource) eventIndex(event string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, e := range f.events {
		if e == event {
			return i
		}
	}
	return -1
}
