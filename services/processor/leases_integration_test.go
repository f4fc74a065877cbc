//go:build integration

package processor

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/store"
)

// readCheck watches every fetch of the processors sharing a stream: a fetch must come from the
// worker that holds the shard's lease in PostgreSQL, and no two workers fetch a shard at once.
type readCheck struct {
	st         *store.Store
	mu         sync.Mutex
	active     map[string]string // shard -> owner fetching it now
	violations []string
	fetches    map[string]map[string]int // shard -> owner -> fetches
}

func newReadCheck(st *store.Store) *readCheck {
	return &readCheck{st: st, active: map[string]string{}, fetches: map[string]map[string]int{}}
}

func (c *readCheck) begin(ctx context.Context, shard, owner string) {
	c.mu.Lock()
	if other, ok := c.active[shard]; ok {
		c.violations = append(c.violations, fmt.Sprintf("%s fetches %s while %s fetches it", owner, shard, other))
	}
	c.active[shard] = owner
	if c.fetches[shard] == nil {
		c.fetches[shard] = map[string]int{}
	}
	c.fetches[shard][owner]++
	c.mu.Unlock()
	var holds bool
	err := c.st.Pool().QueryRow(ctx, `SELECT owner = $3 AND expires_at > clock_timestamp() FROM shard_leases
		WHERE stream_name = $1 AND shard_id = $2`, "vitals", shard, owner).Scan(&holds)
	if err != nil && ctx.Err() != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || !holds {
		c.violations = append(c.violations, fmt.Sprintf("%s fetches %s without holding its lease (%v)", owner, shard, err))
	}
}

func (c *readCheck) end(shard string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.active, shard)
}

func (c *readCheck) readers(shard string) map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for o, n := range c.fetches[shard] {
		out[o] = n
	}
	return out
}

func (c *readCheck) problems() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violations...)
}

// watchedSource is one worker's view of the shared in-memory stream.
type watchedSource struct {
	*fakeSource
	owner string
	check *readCheck
	// hook, when set, runs after a fetch that returned records, before the processor writes them.
	hook func(shard string)
}

func (w *watchedSource) Fetch(ctx context.Context, shardID, after string, limit int) (Fetched, error) {
	if w.check != nil {
		w.check.begin(ctx, shardID, w.owner)
		defer w.check.end(shardID)
	}
	f, err := w.fakeSource.Fetch(ctx, shardID, after, limit)
	if err == nil && len(f.Records) > 0 && w.hook != nil {
		w.hook(shardID)
	}
	return f, err
}

// worker is a leased processor running in the background.
type worker struct {
	owner  string
	p      *Processor
	cancel context.CancelFunc
	done   chan error
}

func (e env) startWorker(t *testing.T, src RecordSource, owner string, batch int) *worker {
	t.Helper()
	return e.startWorkerWith(t, src, owner, batch, 10*time.Second, 50*time.Millisecond)
}

// startWorkerWith starts a leased processor with the given lease duration and renewal interval.
func (e env) startWorkerWith(t *testing.T, src RecordSource, owner string, batch int, lease, renew time.Duration) *worker {
	t.Helper()
	p, err := New(src, e.st, e.vitals, Config{Stream: "vitals", BatchSize: batch, PollInterval: 20 * time.Millisecond,
		ShardRefresh: 20 * time.Millisecond, Now: func() time.Time { return testNow }, Logger: testLogger(),
		Leases: e.st, Owner: owner, LeaseDuration: lease, LeaseRenewInterval: renew})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	w := &worker{owner: owner, p: p, cancel: cancel, done: make(chan error, 1)}
	go func() { w.done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-w.done; err != nil {
			t.Errorf("%s: Run: %v", owner, err)
		}
	})
	return w
}

// stop cancels the worker (SIGTERM) and checks it stopped cleanly.
func (w *worker) stop(t *testing.T) {
	t.Helper()
	w.cancel()
	select {
	case err := <-w.done:
		require.NoError(t, err, w.owner)
		w.done <- nil // for the cleanup
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop", w.owner)
	}
}

// holders returns the shards held (not free) per owner.
func (e env) holders(t *testing.T) map[string][]string {
	t.Helper()
	table, err := e.st.LeaseTable(context.Background(), "vitals", time.Minute)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, l := range table {
		if !l.Free {
			out[l.Owner] = append(out[l.Owner], l.ShardID)
		}
	}
	return out
}

func (e env) checkpointedToTheEnd(src *fakeSource, shards []string) bool {
	for _, s := range shards {
		seq, _, _, err := e.st.Checkpoint(context.Background(), "vitals", s)
		if err != nil || seq != src.last(s) {
			return false
		}
	}
	return true
}

// holdCounts is how many leases each owner holds (only owners with at least one).
func holdCounts(h map[string][]string) map[string]int {
	out := map[string]int{}
	for o, s := range h {
		out[o] = len(s)
	}
	return out
}

func sumStats(ws ...*worker) Stats {
	var s Stats
	for _, w := range ws {
		x := w.p.Stats()
		s.Stored += x.Stored
		s.Duplicates += x.Duplicates
		s.DeadLettered += x.DeadLettered
		s.LeasesLost += x.LeasesLost
		s.LeasesTaken += x.LeasesTaken
	}
	return s
}

const (
	waitFor = 60 * time.Second
	poll    = 10 * time.Millisecond
)

func TestLeasedProcessorsShareTheShardsAndTakeOver(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	shards := make([]string, 6)
	for i := range shards {
		shards[i] = fmt.Sprintf("shardId-%012d", i)
		src.addShard(shards[i], false)
	}
	want, wantDead := feed(src, shards, 300)
	check := newReadCheck(e.st)
	var ws []*worker
	for _, owner := range []string{"worker-a", "worker-b", "worker-c"} {
		ws = append(ws, e.startWorker(t, &watchedSource{fakeSource: src, owner: owner, check: check}, owner, 20))
	}

	// Three workers over six shards: two leases each, every record stored.
	require.Eventually(t, func() bool {
		return e.checkpointedToTheEnd(src, shards) &&
			assert.ObjectsAreEqual(map[string]int{"worker-a": 2, "worker-b": 2, "worker-c": 2}, holdCounts(e.holders(t)))
	}, waitFor, poll, "three workers did not settle on two shards each with every shard read")

	// worker-a stops (SIGTERM): its leases are released at once, the others take its shards over
	// from the checkpoints.
	aShards := e.holders(t)["worker-a"]
	require.Len(t, aShards, 2)
	ws[0].stop(t)
	h := e.holders(t)
	assert.Empty(t, h["worker-a"], "worker-a released its leases when it stopped")
	for _, s := range aShards {
		seq, _, _, err := e.st.Checkpoint(context.Background(), "vitals", s)
		require.NoError(t, err)
		assert.Equal(t, src.last(s), seq)
	}
	more, moreDead := feedFrom(src, shards, 100, 40*time.Minute) // new records, observed later
	for k, v := range more {
		want[k] = v
	}
	for k, v := range moreDead {
		wantDead[k] = v
	}
	require.Eventually(t, func() bool {
		return e.checkpointedToTheEnd(src, shards) &&
			assert.ObjectsAreEqual(map[string]int{"worker-b": 3, "worker-c": 3}, holdCounts(e.holders(t)))
	}, waitFor, poll, "the two remaining workers did not take over")
	for _, s := range aShards {
		r := check.readers(s)
		assert.Positive(t, r["worker-b"]+r["worker-c"], "shard %s of worker-a was taken over", s)
	}
	ws[1].stop(t)
	ws[2].stop(t)

	obs, dead := snapshot(t, e.st)
	require.Len(t, obs, len(want))
	for k, v := range want {
		require.Contains(t, obs, k)
		assert.InDelta(t, v, obs[k].Value, 0, k)
	}
	assert.Equal(t, wantDead, dead)
	total := sumStats(ws...)
	assert.Equal(t, int64(len(want)), total.Stored, "every valid record stored by exactly one worker")
	assert.Equal(t, int64(0), total.Duplicates, "no record was written twice: each takeover resumed at the checkpoint")
	assert.Equal(t, int64(len(wantDead)), total.DeadLettered)
	assert.Equal(t, int64(0), total.LeasesLost)
	assert.Empty(t, check.problems())
	assert.Empty(t, e.holders(t), "every lease released after the last worker stopped")
	var workers int
	require.NoError(t, e.st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM lease_workers`).Scan(&workers))
	assert.Equal(t, 0, workers, "stopped workers deregistered")
}

func TestLeasedProcessorsJoinAndRebalance(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	shards := make([]string, 4)
	for i := range shards {
		shards[i] = fmt.Sprintf("shardId-%012d", i)
		src.addShard(shards[i], false)
	}
	want, _ := feed(src, shards, 200)
	check := newReadCheck(e.st)
	a := e.startWorker(t, &watchedSource{fakeSource: src, owner: "worker-a", check: check}, "worker-a", 10)
	require.Eventually(t, func() bool { return len(e.holders(t)["worker-a"]) == 4 }, waitFor, poll, "a lone worker takes every shard")
	b := e.startWorker(t, &watchedSource{fakeSource: src, owner: "worker-b", check: check}, "worker-b", 10)
	require.Eventually(t, func() bool {
		return e.checkpointedToTheEnd(src, shards) &&
			assert.ObjectsAreEqual(map[string]int{"worker-a": 2, "worker-b": 2}, holdCounts(e.holders(t)))
	}, waitFor, poll, "a worker joining takes half the shards")
	a.stop(t)
	b.stop(t)
	obs, _ := snapshot(t, e.st)
	assert.Len(t, obs, len(want))
	total := sumStats(a, b)
	assert.Equal(t, int64(len(want)), total.Stored)
	assert.Equal(t, int64(0), total.Duplicates)
	assert.Empty(t, check.problems())
}

// tokens is the sum of the stream's lease tokens: the number of lease takes so far.
func (e env) tokens(t *testing.T) int64 {
	t.Helper()
	var n int64
	require.NoError(t, e.st.Pool().QueryRow(context.Background(),
		`SELECT coalesce(sum(token), 0) FROM shard_leases WHERE stream_name = 'vitals'`).Scan(&n))
	return n
}

// TestLeasedProcessorsThirdJoinsWithoutChurn: two workers settled on two of four shards each, a
// third joins (the reviewer's scenario). A worker at its target gives up one lease for the
// joiner; it must not take it back in its next lease round (which used to run at once, triggered
// by its stopped shard, before the joiner's), or the leases change hands round after round and
// the joiner starves.
func TestLeasedProcessorsThirdJoinsWithoutChurn(t *testing.T) {
	const lease, renew = 3 * time.Second, 500 * time.Millisecond
	e := newEnv(t)
	src := newFakeSource()
	shards := make([]string, 4)
	for i := range shards {
		shards[i] = fmt.Sprintf("shardId-%012d", i)
		src.addShard(shards[i], false)
	}
	feed(src, shards, 100)
	check := newReadCheck(e.st)
	start := func(owner string) *worker {
		return e.startWorkerWith(t, &watchedSource{fakeSource: src, owner: owner, check: check}, owner, 10, lease, renew)
	}
	a, b := start("worker-a"), start("worker-b")
	require.Eventually(t, func() bool {
		return e.checkpointedToTheEnd(src, shards) &&
			assert.ObjectsAreEqual(map[string]int{"worker-a": 2, "worker-b": 2}, holdCounts(e.holders(t)))
	}, waitFor, poll, "two workers did not settle on two shards each")
	takenBefore := a.p.Stats().LeasesTaken + b.p.Stats().LeasesTaken

	c := start("worker-c")
	fair := func(h map[string]int) bool {
		total := 0
		for _, n := range h {
			total += n
		}
		return total == 4 && len(h) == 3 && h["worker-a"] >= 1 && h["worker-a"] <= 2 &&
			h["worker-b"] >= 1 && h["worker-b"] <= 2 && h["worker-c"] >= 1 && h["worker-c"] <= 2
	}
	// Converged: a fair share each, and no lease taken during two renewal intervals.
	var settled map[string]int
	var tokens int64
	require.Eventually(t, func() bool {
		h, n := holdCounts(e.holders(t)), e.tokens(t)
		if !fair(h) || n != tokens || !assert.ObjectsAreEqual(h, settled) {
			settled, tokens = h, n
			return false
		}
		return true
	}, waitFor, 2*renew, "the three workers did not settle on 1-2 leases each")
	// Giving the joiner its leases costs the others nothing back: a released lease goes to the
	// joiner, at most one (released when the joiner had none, freed once it had one) is taken
	// back by a worker that gave it up.
	retaken := a.p.Stats().LeasesTaken + b.p.Stats().LeasesTaken - takenBefore
	t.Logf("settled on %v; leases taken since worker-c joined: worker-a and worker-b %d, worker-c %d",
		settled, retaken, c.p.Stats().LeasesTaken)
	assert.LessOrEqual(t, retaken, int64(1), "worker-a and worker-b took back leases they gave up for worker-c")
	assert.GreaterOrEqual(t, c.p.Stats().LeasesTaken, int64(1))

	// No churn: for six more renewal intervals no lease changes hands.
	for range 6 {
		time.Sleep(renew)
		assert.Equal(t, settled, holdCounts(e.holders(t)))
	}
	assert.Equal(t, tokens, e.tokens(t), "leases changed hands after the workers settled")
	assert.Equal(t, int64(0), sumStats(a, b, c).LeasesLost)
	assert.Equal(t, int64(0), sumStats(a, b, c).Duplicates)
	assert.Empty(t, check.problems())
	a.stop(t)
	b.stop(t)
	c.stop(t)
}

func TestLeasedChildShardsWaitForTheirParent(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	src.addShard("parent", true)
	src.addShard("child-a", false, "parent")
	src.addShard("child-b", false, "parent")
	feed(src, []string{"parent", "child-a", "child-b"}, 100)
	check := newReadCheck(e.st)
	a := e.startWorker(t, &watchedSource{fakeSource: src, owner: "worker-a", check: check}, "worker-a", 16)
	b := e.startWorker(t, &watchedSource{fakeSource: src, owner: "worker-b", check: check}, "worker-b", 16)
	require.Eventually(t, func() bool { return e.checkpointedToTheEnd(src, []string{"parent", "child-a", "child-b"}) }, waitFor, poll)
	a.stop(t)
	b.stop(t)
	end := src.eventIndex("end parent")
	require.GreaterOrEqual(t, end, 0)
	for _, c := range []string{"child-a", "child-b"} {
		assert.Greater(t, src.eventIndex("fetch "+c), end, "%s was read before its parent ended", c)
	}
	_, finished, _, err := e.st.Checkpoint(context.Background(), "vitals", "parent")
	require.NoError(t, err)
	assert.True(t, finished)
	assert.Empty(t, check.problems())
	assert.Equal(t, int64(0), sumStats(a, b).Duplicates)
}

// steal gives a shard's lease to another owner, as a worker taking over an expired lease would.
func (e env) steal(t *testing.T, shard string) {
	t.Helper()
	tag, err := e.st.Pool().Exec(context.Background(), `UPDATE shard_leases SET owner = 'intruder', token = token + 1,
		expires_at = clock_timestamp() + interval '1 hour' WHERE stream_name = 'vitals' AND shard_id = $1`, shard)
	require.NoError(t, err)
	require.Equal(t, int64(1), tag.RowsAffected())
}

func TestLostLeaseIsFencedAndDropped(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	const shard = "shardId-000000000000"
	src.addShard(shard, false)
	want, _ := feed(src, []string{shard}, 50)
	// The lease is taken over between worker-a's fetch of the first batch and its write.
	var once sync.Once
	stolen := make(chan struct{})
	ws := &watchedSource{fakeSource: src, owner: "worker-a"}
	ws.hook = func(string) { once.Do(func() { e.steal(t, shard); close(stolen) }) }
	a := e.startWorker(t, ws, "worker-a", 10)
	<-stolen
	require.Eventually(t, func() bool { return a.p.Stats().LeasesLost == 1 }, waitFor, poll)
	// The fenced batch stored nothing and did not move the checkpoint; worker-a stopped reading.
	seq, _, found, err := e.st.Checkpoint(context.Background(), "vitals", shard)
	require.NoError(t, err)
	assert.False(t, found, "no checkpoint written by the worker that lost the lease (got %q)", seq)
	obs, _ := snapshot(t, e.st)
	assert.Empty(t, obs)
	fetches := len(src.eventsOf("fetch " + shard))
	time.Sleep(200 * time.Millisecond) // several polls and lease rounds
	assert.Len(t, src.eventsOf("fetch "+shard), fetches, "worker-a fetches no more of a shard it lost")
	assert.Equal(t, int64(0), a.p.Stats().Batches)

	// The intruder releases the shard: worker-a takes it again and reads it from the start.
	_, err = e.st.Pool().Exec(context.Background(), `UPDATE shard_leases SET owner = '', expires_at = clock_timestamp() WHERE shard_id = $1`, shard)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return e.checkpointedToTheEnd(src, []string{shard}) }, waitFor, poll)
	a.stop(t)
	obs, _ = snapshot(t, e.st)
	assert.Len(t, obs, len(want))
	assert.Equal(t, int64(len(want)), a.p.Stats().Stored)
	assert.Equal(t, int64(0), a.p.Stats().Duplicates)
	assert.Equal(t, int64(2), a.p.Stats().LeasesTaken)
}

func TestLeaseLostOnRenewalStopsTheShard(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	const shard = "shardId-000000000000"
	src.addShard(shard, false)
	a := e.startWorker(t, &watchedSource{fakeSource: src, owner: "worker-a"}, "worker-a", 10)
	require.Eventually(t, func() bool { return len(src.eventsOf("fetch "+shard)) > 0 }, waitFor, poll)
	e.steal(t, shard)
	// The next renewal finds the lease gone: worker-a stops polling the (empty) shard.
	require.Eventually(t, func() bool { return a.p.Stats().LeasesLost == 1 }, waitFor, poll)
	time.Sleep(50 * time.Millisecond) // a poll in progress ends
	fetches := len(src.eventsOf("fetch " + shard))
	time.Sleep(200 * time.Millisecond)
	assert.Len(t, src.eventsOf("fetch "+shard), fetches, "worker-a stopped reading the shard it lost")
	a.stop(t)
	assert.Equal(t, map[string][]string{"intruder": {shard}}, e.holders(t), "worker-a did not release the intruder's lease")
}

func TestLeasedShutdownWritesWhatWasFetchedAndReleases(t *testing.T) {
	e := newEnv(t)
	src := newFakeSource()
	const shard = "shardId-000000000000"
	src.addShard(shard, false)
	feed(src, []string{shard}, 30)
	ws := &watchedSource{fakeSource: src, owner: "worker-a"}
	// SIGTERM arrives while the first batch is in flight, between fetch and write.
	started, cancelled := make(chan struct{}), make(chan struct{})
	var a *worker
	var once sync.Once
	ws.hook = func(string) {
		<-started
		once.Do(func() {
			a.cancel()
			close(cancelled)
		})
	}
	a = e.startWorker(t, ws, "worker-a", 10)
	close(started)
	<-cancelled
	a.stop(t)
	seq, _, _, err := e.st.Checkpoint(context.Background(), "vitals", shard)
	require.NoError(t, err)
	src.mu.Lock()
	tenth := src.records[shard][9].SequenceNumber
	src.mu.Unlock()
	assert.Equal(t, tenth, seq, "the fetched batch was written and checkpointed, nothing more fetched")
	assert.Equal(t, int64(1), a.p.Stats().Batches)
	assert.Empty(t, e.holders(t), "the lease was released")
}

func (f *fakeSource) eventsOf(event string) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int
	for i, e := range f.events {
		if e == event {
			out = append(out, i)
		}
	}
	return out
}

func testLogger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}
