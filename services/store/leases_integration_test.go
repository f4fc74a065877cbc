//go:build integration

package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

const (
	leaseStream = "vitals"
	leaseShard  = "shardId-000000000000"
	minute      = time.Minute
)

// expire moves a lease's expiry into the past, as if its owner had stopped renewing it.
func expire(t *testing.T, s *Store, shard string) {
	t.Helper()
	tag, err := s.Pool().Exec(context.Background(), `UPDATE shard_leases SET expires_at = clock_timestamp() - interval '1 second'
		WHERE stream_name = $1 AND shard_id = $2`, leaseStream, shard)
	require.NoError(t, err)
	require.Equal(t, int64(1), tag.RowsAffected())
}

func claim(t *testing.T, s *Store, shard, owner string) (Lease, bool) {
	t.Helper()
	l, ok, err := s.ClaimLease(context.Background(), leaseStream, shard, owner, minute, 0)
	require.NoError(t, err)
	return l, ok
}

func leaseOf(t *testing.T, s *Store, shard string) LeaseState {
	t.Helper()
	table, err := s.LeaseTable(context.Background(), leaseStream, minute)
	require.NoError(t, err)
	for _, l := range table {
		if l.ShardID == shard {
			return l
		}
	}
	t.Fatalf("no lease row for shard %s", shard)
	return LeaseState{}
}

// fencedBatch is one observation (sequence seq) and its checkpoint, written under lease.
func fencedBatch(seq string, l Lease) Batch {
	return Batch{Stream: leaseStream, ShardID: leaseShard, Checkpoint: seq, Lease: &l,
		Observations: []Observation{obs(seq, "dev-"+seq, observation.CodeHeartRate, 70, t0)}}
}

func checkpointOf(t *testing.T, s *Store) string {
	t.Helper()
	seq, _, _, err := s.Checkpoint(context.Background(), leaseStream, leaseShard)
	require.NoError(t, err)
	return seq
}

func TestShardLeases(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s *Store)
	}{
		{"claim: a free lease is taken once, with token 1", func(t *testing.T, s *Store) {
			a, ok := claim(t, s, leaseShard, "worker-a")
			require.True(t, ok)
			assert.Equal(t, Lease{Stream: leaseStream, ShardID: leaseShard, Owner: "worker-a", Token: 1}, a)
			_, ok = claim(t, s, leaseShard, "worker-b")
			assert.False(t, ok, "a held lease is not taken by another worker")
			_, ok = claim(t, s, leaseShard, "worker-a")
			assert.False(t, ok, "nor taken again by its holder")
			assert.Equal(t, LeaseState{ShardID: leaseShard, Owner: "worker-a", Token: 1}, leaseOf(t, s, leaseShard))
		}},
		{"claim: a shard without a lease row is not claimable", func(t *testing.T, s *Store) {
			_, ok, err := s.ClaimLease(ctx, leaseStream, "shardId-unknown", "worker-a", minute, 0)
			require.NoError(t, err)
			assert.False(t, ok)
		}},
		{"renew: extends the holder's lease; a wrong token or owner is lost", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			lost, err := s.RenewLeases(ctx, []Lease{a}, minute)
			require.NoError(t, err)
			assert.Empty(t, lost)
			stale := a
			stale.Token = 7
			lost, err = s.RenewLeases(ctx, []Lease{stale}, minute)
			require.NoError(t, err)
			assert.Equal(t, []Lease{stale}, lost)
			other := a
			other.Owner = "worker-b"
			lost, err = s.RenewLeases(ctx, []Lease{other}, minute)
			require.NoError(t, err)
			assert.Equal(t, []Lease{other}, lost)
		}},
		{"renew: a renewed lease does not expire at its first expiry", func(t *testing.T, s *Store) {
			a, ok, err := s.ClaimLease(ctx, leaseStream, leaseShard, "worker-a", 300*time.Millisecond, 0)
			require.NoError(t, err)
			require.True(t, ok)
			lost, err := s.RenewLeases(ctx, []Lease{a}, minute)
			require.NoError(t, err)
			require.Empty(t, lost)
			time.Sleep(400 * time.Millisecond)
			_, ok = claim(t, s, leaseShard, "worker-b")
			assert.False(t, ok)
		}},
		{"expiry: another worker takes over an expired lease with the next token", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			expire(t, s, leaseShard)
			assert.True(t, leaseOf(t, s, leaseShard).Free)
			b, ok := claim(t, s, leaseShard, "worker-b")
			require.True(t, ok)
			assert.Equal(t, int64(2), b.Token)
			lost, err := s.RenewLeases(ctx, []Lease{a}, minute)
			require.NoError(t, err)
			assert.Equal(t, []Lease{a}, lost, "the old holder learns it lost the lease")
			released, err := s.ReleaseLease(ctx, a)
			require.NoError(t, err)
			assert.False(t, released, "the old holder cannot release the new holder's lease")
			assert.Equal(t, LeaseState{ShardID: leaseShard, Owner: "worker-b", Token: 2}, leaseOf(t, s, leaseShard))
		}},
		{"expiry by the clock: a lease not renewed expires", func(t *testing.T, s *Store) {
			_, ok, err := s.ClaimLease(ctx, leaseStream, leaseShard, "worker-a", 200*time.Millisecond, 0)
			require.NoError(t, err)
			require.True(t, ok)
			require.Eventually(t, func() bool { _, ok := claim(t, s, leaseShard, "worker-b"); return ok }, 10*time.Second, 20*time.Millisecond)
			assert.Equal(t, "worker-b", leaseOf(t, s, leaseShard).Owner)
		}},
		{"release: another worker takes it at once; a second release changes nothing", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			released, err := s.ReleaseLease(ctx, a)
			require.NoError(t, err)
			assert.True(t, released)
			st := leaseOf(t, s, leaseShard)
			assert.Equal(t, "", st.Owner)
			assert.True(t, st.Free)
			assert.False(t, st.LongFree)
			_, ok, err := s.ClaimLease(ctx, leaseStream, leaseShard, "worker-c", minute, time.Hour)
			require.NoError(t, err)
			assert.False(t, ok, "a lease released just now is not free for an hour")
			b, ok := claim(t, s, leaseShard, "worker-b")
			require.True(t, ok)
			assert.Equal(t, int64(2), b.Token)
			released, err = s.ReleaseLease(ctx, a)
			require.NoError(t, err)
			assert.False(t, released)
			assert.Equal(t, "worker-b", leaseOf(t, s, leaseShard).Owner)
		}},
		{"fencing: the holder writes; a stale owner stores nothing and never moves the checkpoint", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			_, err := s.Write(ctx, fencedBatch("10", a))
			require.NoError(t, err)
			expire(t, s, leaseShard)
			b, ok := claim(t, s, leaseShard, "worker-b")
			require.True(t, ok)

			_, err = s.Write(ctx, fencedBatch("20", a))
			require.ErrorIs(t, err, ErrLeaseLost)
			assert.ErrorContains(t, err, "worker worker-a no longer holds the lease of shard shardId-000000000000 (token 1)")
			assert.Equal(t, "10", checkpointOf(t, s), "the stale owner did not move the checkpoint")
			rows := allObservations(t, s)
			require.Len(t, rows, 1, "nothing of the stale owner's batch was stored")
			assert.Equal(t, "10", rows[0].Seq)

			_, err = s.Write(ctx, fencedBatch("20", b))
			require.NoError(t, err)
			assert.Equal(t, "20", checkpointOf(t, s))
			assert.Len(t, allObservations(t, s), 2)
		}},
		{"fencing: a released lease fences its former holder", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			_, err := s.ReleaseLease(ctx, a)
			require.NoError(t, err)
			_, err = s.Write(ctx, fencedBatch("5", a))
			require.ErrorIs(t, err, ErrLeaseLost)
			assert.Equal(t, "", checkpointOf(t, s))
			assert.Empty(t, allObservations(t, s))
		}},
		{"fencing: a batch whose lease names another shard is refused", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			a.ShardID = "shardId-000000000009"
			_, err := s.Write(ctx, fencedBatch("5", a))
			require.ErrorContains(t, err, "the batch's lease is not a lease of this stream and shard")
			assert.Empty(t, allObservations(t, s))
		}},
		{"fencing: a takeover waits for the holder's write in progress", func(t *testing.T, s *Store) {
			a, _ := claim(t, s, leaseShard, "worker-a")
			expire(t, s, leaseShard)
			// The holder's write transaction has checked its lease (and holds the row) ...
			tx, err := s.Pool().Begin(ctx)
			require.NoError(t, err)
			defer func() { _ = tx.Rollback(ctx) }()
			require.NoError(t, holdLease(ctx, tx, a))
			taken := make(chan bool, 1)
			go func() {
				_, ok, err := s.ClaimLease(ctx, leaseStream, leaseShard, "worker-b", minute, 0)
				assert.NoError(t, err)
				taken <- ok
			}()
			select {
			case <-taken:
				t.Fatal("the lease was taken over during the holder's write")
			case <-time.After(300 * time.Millisecond):
			}
			// ... and the takeover happens once it commits, after its checkpoint.
			_, err = tx.Exec(ctx, upsertCheckpoint, leaseStream, leaseShard, "30", false)
			require.NoError(t, err)
			require.NoError(t, tx.Commit(ctx))
			assert.True(t, <-taken)
			assert.Equal(t, "30", checkpointOf(t, s))
		}},
		{"heartbeat: live workers, deregistration", func(t *testing.T, s *Store) {
			live, err := s.Heartbeat(ctx, leaseStream, "worker-b", minute)
			require.NoError(t, err)
			assert.Equal(t, []string{"worker-b"}, live)
			live, err = s.Heartbeat(ctx, leaseStream, "worker-a", minute)
			require.NoError(t, err)
			assert.Equal(t, []string{"worker-a", "worker-b"}, live)
			live, err = s.Heartbeat(ctx, "other-stream", "worker-c", minute)
			require.NoError(t, err)
			assert.Equal(t, []string{"worker-c"}, live, "workers are counted per stream")
			require.NoError(t, s.DeregisterWorker(ctx, leaseStream, "worker-b"))
			_, err = s.Heartbeat(ctx, leaseStream, "worker-d", 100*time.Millisecond)
			require.NoError(t, err)
			require.Eventually(t, func() bool {
				live, err := s.Heartbeat(ctx, leaseStream, "worker-a", minute)
				return err == nil && slices.Equal(live, []string{"worker-a"})
			}, 10*time.Second, 20*time.Millisecond, "a worker that stops heartbeating is no longer live")
		}},
		{"bad input", func(t *testing.T, s *Store) {
			_, _, err := s.ClaimLease(ctx, leaseStream, leaseShard, "", minute, 0)
			assert.ErrorContains(t, err, "lease without stream, shard or owner")
			_, _, err = s.ClaimLease(ctx, leaseStream, leaseShard, "worker-a", 0, 0)
			assert.ErrorContains(t, err, "lease duration 0s is below 1ms")
			_, err = s.RenewLeases(ctx, []Lease{{Stream: "a", ShardID: "1", Owner: "x"}, {Stream: "b", ShardID: "2", Owner: "x"}}, minute)
			assert.ErrorContains(t, err, "several streams or owners")
			_, err = s.Heartbeat(ctx, leaseStream, "", minute)
			assert.ErrorContains(t, err, "heartbeat without stream or owner")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			require.NoError(t, s.EnsureLeases(ctx, leaseStream, []string{leaseShard}))
			tt.run(t, s)
		})
	}
}

// worker is a simulated processor for balancing: it runs lease rounds and gives up what
// Balance tells it to (its highest shard IDs first).
type worker struct {
	owner  string
	leases map[string]Lease
}

func (w *worker) round(t *testing.T, s *Store, eligible []string) (claimed, released []string) {
	t.Helper()
	ctx := context.Background()
	res, err := s.Balance(ctx, BalanceRequest{Stream: leaseStream, Owner: w.owner, Eligible: eligible, LeaseDuration: minute})
	require.NoError(t, err)
	for _, l := range res.Claimed {
		require.NotContains(t, w.leases, l.ShardID)
		w.leases[l.ShardID] = l
		claimed = append(claimed, l.ShardID)
	}
	ids := make([]string, 0, len(w.leases))
	for id := range w.leases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids[len(ids)-res.Release:] {
		ok, err := s.ReleaseLease(ctx, w.leases[id])
		require.NoError(t, err)
		require.True(t, ok)
		delete(w.leases, id)
		released = append(released, id)
	}
	return claimed, released
}

// balanced runs rounds of every worker until no lease changes hands, then checks that every
// shard is held by exactly one worker (its own view and the table agree) and each holds
// floor or ceil of shards / workers.
func balanced(t *testing.T, s *Store, workers []*worker, eligible []string) {
	t.Helper()
	snapshot := func() string {
		table, err := s.LeaseTable(context.Background(), leaseStream, minute)
		require.NoError(t, err)
		return fmt.Sprint(table)
	}
	prev := ""
	for round := 0; ; round++ {
		require.Less(t, round, 10, "the leases did not settle within 10 rounds")
		for _, w := range workers {
			w.round(t, s, eligible)
		}
		now := snapshot()
		if now == prev {
			break
		}
		prev = now
	}
	table, err := s.LeaseTable(context.Background(), leaseStream, minute)
	require.NoError(t, err)
	owners := map[string]string{}
	for _, l := range table {
		if slices.Contains(eligible, l.ShardID) {
			require.False(t, l.Free, "shard %s has no holder", l.ShardID)
			owners[l.ShardID] = l.Owner
		}
	}
	require.Len(t, owners, len(eligible))
	lo, hi := len(eligible)/len(workers), (len(eligible)+len(workers)-1)/len(workers)
	total := 0
	for _, w := range workers {
		for id, l := range w.leases {
			assert.Equal(t, w.owner, owners[id], "shard %s: the worker's view and the table disagree", id)
			assert.Equal(t, l.Owner, w.owner)
		}
		assert.GreaterOrEqual(t, len(w.leases), lo, "%s holds too few", w.owner)
		assert.LessOrEqual(t, len(w.leases), hi, "%s holds too many", w.owner)
		total += len(w.leases)
	}
	assert.Equal(t, len(eligible), total, "every shard is held exactly once")
}

func shardIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("shardId-%012d", i)
	}
	return out
}

func TestBalanceLeases(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		workers int
		shards  int
	}{
		{"2 workers, 4 shards", 2, 4},
		{"2 workers, 5 shards", 2, 5},
		{"3 workers, 4 shards", 3, 4},
		{"3 workers, 8 shards", 3, 8},
		{"3 workers, 6 shards", 3, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			eligible := shardIDs(tt.shards)
			// The first worker starts alone and takes every shard.
			first := &worker{owner: "worker-0", leases: map[string]Lease{}}
			first.round(t, s, eligible)
			require.Len(t, first.leases, tt.shards)
			// The others join: the first gives up its excess, they take it.
			workers := []*worker{first}
			for i := 1; i < tt.workers; i++ {
				workers = append(workers, &worker{owner: fmt.Sprintf("worker-%d", i), leases: map[string]Lease{}})
			}
			balanced(t, s, workers, eligible)

			// A worker stops cleanly: releases its leases and deregisters; the others take over.
			gone := workers[len(workers)-1]
			for _, l := range gone.leases {
				_, err := s.ReleaseLease(ctx, l)
				require.NoError(t, err)
			}
			require.NoError(t, s.DeregisterWorker(ctx, leaseStream, gone.owner))
			balanced(t, s, workers[:len(workers)-1], eligible)
		})
	}
}

// tokens is the sum of the stream's lease tokens: the number of lease takes so far.
func tokens(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	require.NoError(t, s.Pool().QueryRow(context.Background(),
		`SELECT coalesce(sum(token), 0) FROM shard_leases WHERE stream_name = $1`, leaseStream).Scan(&n))
	return n
}

// TestBalanceJoinAndLeaveWithoutChurn: two settled workers, a third joins, then leaves. A worker
// that gave up leases runs its next rounds before the joiner's (the processor used to run one at
// once, its stopped shard triggering it; rounds are never ordered anyway): it must not take back
// what it gave up (the reviewer's churn: give up, take back, round after round, the joiner
// starving). Every lease given up changes hands once, to a worker that needs it, and the leases
// then stay put.
func TestBalanceJoinAndLeaveWithoutChurn(t *testing.T) {
	ctx := context.Background()
	for _, shards := range []int{4, 5, 6, 8} {
		t.Run(fmt.Sprintf("%d shards", shards), func(t *testing.T) {
			s := openStore(t)
			eligible := shardIDs(shards)
			a := &worker{owner: "worker-a", leases: map[string]Lease{}}
			b := &worker{owner: "worker-b", leases: map[string]Lease{}}
			a.round(t, s, eligible)
			balanced(t, s, []*worker{a, b}, eligible)

			c := &worker{owner: "worker-c", leases: map[string]Lease{}}
			c.round(t, s, eligible) // its heartbeat: nothing is free yet
			require.Empty(t, c.leases)
			before := tokens(t, s)
			gaveUp := 0
			for _, w := range []*worker{a, b} {
				var released []string
				for range 5 { // its rounds, at once, as long as it gives up leases
					claimed, rel := w.round(t, s, eligible)
					for _, id := range claimed {
						assert.NotContains(t, released, id, "%s took back the lease it gave up for the joiner", w.owner)
					}
					released = append(released, rel...)
					if len(rel) == 0 {
						break
					}
				}
				gaveUp += len(released)
			}
			require.Positive(t, gaveUp, "the settled workers gave up nothing for the joiner")
			c.round(t, s, eligible)
			assert.GreaterOrEqual(t, len(c.leases), shards/3, "the joiner took its share in its first round")
			balanced(t, s, []*worker{a, b, c}, eligible)
			assert.Equal(t, int64(gaveUp), tokens(t, s)-before, "every lease given up was taken once, none changed hands again")

			// worker-c stops (as the processor does: deregisters, then releases its leases once its
			// batches in flight are written); the others give up nothing meanwhile.
			require.NoError(t, s.DeregisterWorker(ctx, leaseStream, c.owner))
			before = tokens(t, s)
			for _, w := range []*worker{a, b} {
				_, released := w.round(t, s, eligible)
				assert.Empty(t, released, "%s gave up a lease while worker-c was leaving", w.owner)
			}
			held := len(c.leases)
			for id, l := range c.leases {
				ok, err := s.ReleaseLease(ctx, l)
				require.NoError(t, err)
				require.True(t, ok)
				delete(c.leases, id)
			}
			balanced(t, s, []*worker{a, b}, eligible)
			assert.Equal(t, int64(held), tokens(t, s)-before, "worker-c's leases were taken once each, nothing else moved")
		})
	}
}

func TestBalanceTakesAStarvingLeaseOverTheTarget(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	eligible := shardIDs(4)
	a := &worker{owner: "worker-a", leases: map[string]Lease{}}
	// A live worker that holds nothing and never claims (e.g. stuck): a's target is 2.
	_, err := s.Heartbeat(ctx, leaseStream, "worker-stuck", time.Hour)
	require.NoError(t, err)
	a.round(t, s, eligible)
	require.Len(t, a.leases, 2)
	// The other shards stay free for over a lease duration: a takes them anyway.
	_, err = s.Pool().Exec(ctx, `UPDATE shard_leases SET expires_at = clock_timestamp() - interval '2 minutes' WHERE owner = ''`)
	require.NoError(t, err)
	res, err := s.Balance(ctx, BalanceRequest{Stream: leaseStream, Owner: "worker-a", Eligible: eligible, LeaseDuration: minute})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Target)
	assert.Len(t, res.Claimed, 2)
	assert.Equal(t, 0, res.Release, "what was just taken is not given up in the same round")
	// The next round offers the excess to the live worker under its target again (a worker
	// that heartbeats but never claims keeps a shard changing hands once per lease duration:
	// it is read, never starved).
	res, err = s.Balance(ctx, BalanceRequest{Stream: leaseStream, Owner: "worker-a", Eligible: eligible, LeaseDuration: minute})
	require.NoError(t, err)
	assert.Empty(t, res.Claimed)
	assert.Equal(t, 2, res.Release)
}

func TestLeaseMigrationCreatesTheTables(t *testing.T) {
	s := openStore(t)
	for _, table := range []string{"shard_leases", "lease_workers"} {
		var exists bool
		require.NoError(t, s.Pool().QueryRow(context.Background(), `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists))
		assert.True(t, exists, table)
	}
}
