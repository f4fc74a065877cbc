package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Shard leases (KCL-like), in PostgreSQL: a processor reads a shard only while it holds the
// shard's lease. Expiry is decided by PostgreSQL's clock (one clock for every task). A lease is
// taken (ClaimLease) when free: never taken, released, or expired; taking it increments its
// fencing token. The holder renews it well before it expires (RenewLeases), releases it when it
// stops reading the shard (ReleaseLease), and every batch it writes carries its (owner, token):
// Write stores nothing and returns ErrLeaseLost when the lease has another owner or token, so a
// worker that lost its lease never moves a checkpoint. Workers register a heartbeat per stream
// (Balance) so that each takes about ceil(eligible shards / live workers) leases.

// ErrLeaseLost is returned (wrapped) when a lease is no longer held by the given owner and token.
var ErrLeaseLost = errors.New("shard lease lost")

// Lease is a held shard lease: the owner and the fencing token it was taken with.
type Lease struct {
	Stream, ShardID, Owner string
	Token                  int64
}

func (l Lease) check() error {
	if l.Stream == "" || l.ShardID == "" || l.Owner == "" {
		return fmt.Errorf("store: lease without stream, shard or owner (shard %q)", l.ShardID)
	}
	return nil
}

// LeaseState is a lease as stored, with its freedom judged by PostgreSQL's clock.
type LeaseState struct {
	ShardID string
	Owner   string // "" when never taken or released
	Token   int64
	// Free: expired (or released, or never taken): anyone may take it.
	Free bool
	// LongFree: free for more than one lease duration: nobody under its target took it, so any
	// worker takes it, whatever its load (no shard starves).
	LongFree bool
}

func millis(d time.Duration) int64 { return d.Milliseconds() }

func checkDuration(d time.Duration) error {
	if d < time.Millisecond {
		return fmt.Errorf("store: lease duration %s is below 1ms", d)
	}
	return nil
}

// EnsureLeases creates the (free) lease rows of shards that have none.
func (s *Store) EnsureLeases(ctx context.Context, stream string, shardIDs []string) error {
	if stream == "" {
		return errors.New("store: ensure leases: no stream name")
	}
	if len(shardIDs) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO shard_leases (stream_name, shard_id) SELECT $1, unnest($2::text[])
		ON CONFLICT (stream_name, shard_id) DO NOTHING`, stream, shardIDs)
	if err != nil {
		return fmt.Errorf("store: create leases of stream %s: %w", stream, err)
	}
	return nil
}

// ClaimLease takes the shard's lease for owner for d, when it has been free for at least
// freeFor (0: free now). taken is false when another worker holds it (not an error).
func (s *Store) ClaimLease(ctx context.Context, stream, shardID, owner string, d, freeFor time.Duration) (l Lease, taken bool, err error) {
	l = Lease{Stream: stream, ShardID: shardID, Owner: owner}
	if err := l.check(); err != nil {
		return Lease{}, false, err
	}
	if err := checkDuration(d); err != nil {
		return Lease{}, false, err
	}
	err = s.pool.QueryRow(ctx, `UPDATE shard_leases
		SET owner = $3, token = token + 1, expires_at = clock_timestamp() + $4::bigint * interval '1 millisecond',
		    renewed_at = clock_timestamp()
		WHERE stream_name = $1 AND shard_id = $2
		  AND expires_at <= clock_timestamp() - $5::bigint * interval '1 millisecond'
		RETURNING token`, stream, shardID, owner, millis(d), millis(freeFor)).Scan(&l.Token)
	if errors.Is(err, pgx.ErrNoRows) {
		return Lease{}, false, nil
	}
	if err != nil {
		return Lease{}, false, fmt.Errorf("store: claim lease of shard %s: %w", shardID, err)
	}
	return l, true, nil
}

// RenewLeases extends the leases (all of one stream and owner) to d from now and returns those
// that were lost: taken by another worker since (another token) or released.
func (s *Store) RenewLeases(ctx context.Context, leases []Lease, d time.Duration) (lost []Lease, err error) {
	if len(leases) == 0 {
		return nil, nil
	}
	if err := checkDuration(d); err != nil {
		return nil, err
	}
	stream, owner := leases[0].Stream, leases[0].Owner
	shards, tokens := make([]string, len(leases)), make([]int64, len(leases))
	for i, l := range leases {
		if err := l.check(); err != nil {
			return nil, err
		}
		if l.Stream != stream || l.Owner != owner {
			return nil, errors.New("store: renew leases: leases of several streams or owners")
		}
		shards[i], tokens[i] = l.ShardID, l.Token
	}
	rows, err := s.pool.Query(ctx, `UPDATE shard_leases l
		SET expires_at = clock_timestamp() + $4::bigint * interval '1 millisecond', renewed_at = clock_timestamp()
		FROM unnest($2::text[], $3::bigint[]) AS h(shard_id, token)
		WHERE l.stream_name = $1 AND l.owner = $5 AND l.shard_id = h.shard_id AND l.token = h.token
		RETURNING l.shard_id`, stream, shards, tokens, millis(d), owner)
	if err != nil {
		return nil, fmt.Errorf("store: renew %d leases of stream %s: %w", len(leases), stream, err)
	}
	renewed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: renew %d leases of stream %s: %w", len(leases), stream, err)
	}
	for _, l := range leases {
		if !slices.Contains(renewed, l.ShardID) {
			lost = append(lost, l)
		}
	}
	return lost, nil
}

// ReleaseLease frees a held lease at once (another worker may take it immediately). released is
// false when the lease was not held any more with this owner and token (nothing changes then).
func (s *Store) ReleaseLease(ctx context.Context, l Lease) (released bool, err error) {
	if err := l.check(); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE shard_leases SET owner = '', expires_at = clock_timestamp()
		WHERE stream_name = $1 AND shard_id = $2 AND owner = $3 AND token = $4`, l.Stream, l.ShardID, l.Owner, l.Token)
	if err != nil {
		return false, fmt.Errorf("store: release lease of shard %s: %w", l.ShardID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// LeaseTable returns the stream's leases by shard ID; LongFree means free for more than longFree.
func (s *Store) LeaseTable(ctx context.Context, stream string, longFree time.Duration) ([]LeaseState, error) {
	rows, err := s.pool.Query(ctx, `SELECT shard_id, owner, token, expires_at <= clock_timestamp(),
		       expires_at <= clock_timestamp() - $2::bigint * interval '1 millisecond'
		FROM shard_leases WHERE stream_name = $1 ORDER BY shard_id`, stream, millis(longFree))
	if err != nil {
		return nil, fmt.Errorf("store: read leases of stream %s: %w", stream, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (LeaseState, error) {
		var l LeaseState
		err := r.Scan(&l.ShardID, &l.Owner, &l.Token, &l.Free, &l.LongFree)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: read leases of stream %s: %w", stream, err)
	}
	return out, nil
}

// Heartbeat records that owner is alive for ttl and returns the stream's live workers (owner
// included), sorted. Rows expired for long are removed.
func (s *Store) Heartbeat(ctx context.Context, stream, owner string, ttl time.Duration) ([]string, error) {
	if stream == "" || owner == "" {
		return nil, errors.New("store: heartbeat without stream or owner")
	}
	if err := checkDuration(ttl); err != nil {
		return nil, err
	}
	var live []string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO lease_workers (stream_name, owner, expires_at)
			VALUES ($1, $2, clock_timestamp() + $3::bigint * interval '1 millisecond')
			ON CONFLICT (stream_name, owner) DO UPDATE SET expires_at = excluded.expires_at`, stream, owner, millis(ttl)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM lease_workers WHERE stream_name = $1
			AND expires_at < clock_timestamp() - 10 * $2::bigint * interval '1 millisecond'`, stream, millis(ttl)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT owner FROM lease_workers WHERE stream_name = $1 AND expires_at > clock_timestamp()
			ORDER BY owner`, stream)
		if err != nil {
			return err
		}
		live, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: heartbeat of worker %s on stream %s: %w", owner, stream, err)
	}
	return live, nil
}

// DeregisterWorker removes owner's heartbeat (clean shutdown), so the others rebalance at once.
func (s *Store) DeregisterWorker(ctx context.Context, stream, owner string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM lease_workers WHERE stream_name = $1 AND owner = $2`, stream, owner); err != nil {
		return fmt.Errorf("store: deregister worker %s of stream %s: %w", owner, stream, err)
	}
	return nil
}

// BalanceRequest is one worker's periodic lease round.
type BalanceRequest struct {
	Stream, Owner string
	// Eligible are the shards to read now (not finished, parents finished).
	Eligible []string
	// Busy are shards this worker still runs (e.g. stopping): never claimed again meanwhile.
	Busy []string
	// LeaseDuration is the lease's (and heartbeat's) validity.
	LeaseDuration time.Duration
}

// BalanceResult is what the round decided.
type BalanceResult struct {
	LiveWorkers int
	Target      int     // ceil(eligible / live workers)
	Claimed     []Lease // leases taken by this round
	// Release is how many of its leases the worker should give up (after its batch in flight),
	// for workers under their target to take.
	Release int
}

// Balance runs one lease round for a worker: heartbeat, lease rows for new shards, then claims
// free leases up to the target ceil(eligible / live workers), plus any lease free for more than
// a lease duration (no shard starves), and tells how many leases to release when the worker is
// over its target while another live worker is under it.
func (s *Store) Balance(ctx context.Context, req BalanceRequest) (BalanceResult, error) {
	live, err := s.Heartbeat(ctx, req.Stream, req.Owner, req.LeaseDuration)
	if err != nil {
		return BalanceResult{}, err
	}
	if err := s.EnsureLeases(ctx, req.Stream, req.Eligible); err != nil {
		return BalanceResult{}, err
	}
	table, err := s.LeaseTable(ctx, req.Stream, req.LeaseDuration)
	if err != nil {
		return BalanceResult{}, err
	}
	plan := PlanLeases(req.Owner, live, req.Eligible, req.Busy, table)
	res := BalanceResult{LiveWorkers: len(live), Target: plan.Target, Release: plan.Release}
	claim := func(ids []string, freeFor time.Duration) error {
		for _, id := range ids {
			l, ok, err := s.ClaimLease(ctx, req.Stream, id, req.Owner, req.LeaseDuration, freeFor)
			if err != nil {
				return err
			}
			if ok {
				res.Claimed = append(res.Claimed, l)
			}
		}
		return nil
	}
	if err := claim(plan.Claim, 0); err != nil {
		return BalanceResult{}, err
	}
	if err := claim(plan.ClaimStarving, req.LeaseDuration); err != nil {
		return BalanceResult{}, err
	}
	return res, nil
}

// LeasePlan is a worker's decision for one round (PlanLeases).
type LeasePlan struct {
	Target        int
	Claim         []string // free leases to take, up to the target
	ClaimStarving []string // leases free for over a lease duration, taken whatever the target
	Release       int
}

// PlanLeases decides, from the lease table, which leases owner takes and how many it gives up:
// target = ceil(eligible / live workers); under it, take free eligible leases (in shard order),
// except that a worker at or over floor(eligible / live workers) leaves the free leases to
// another live worker under that floor; over the target, release the excess another live worker
// lacks, and at it, release one when another live worker is under the floor; take any lease free
// for longer than a lease duration whatever the load.
//
// Why the floor rule: a worker at the target that gives up a lease for a worker under the floor
// (e.g. one that just joined) is then one under its target; its stopped shard triggers its next
// round at once, usually before the other worker's round, and it would take back the lease it
// just gave up, then give it up again, round after round, the other worker starving. Leaving
// free leases to workers under the floor ends that: a release is only ever decided for a worker
// under the floor (or under the target by a worker over it, which stays at or over the target),
// so the releasing worker takes nothing back while that worker lacks leases. A lease nobody
// took for a lease duration (the worker under the floor is stuck) becomes long-free and anyone
// takes it, so no shard starves.
func PlanLeases(owner string, live, eligible, busy []string, table []LeaseState) LeasePlan {
	workers := max(len(live), 1)
	target := (len(eligible) + workers - 1) / workers
	// Fair shares are floor or ceil of eligible / workers.
	floor := len(eligible) / workers
	isEligible := make(map[string]bool, len(eligible))
	for _, id := range eligible {
		isEligible[id] = true
	}
	isLive := map[string]bool{owner: true}
	for _, w := range live {
		isLive[w] = true
	}
	load := map[string]int{}
	var free, starving []string
	for _, l := range table {
		if !isEligible[l.ShardID] {
			continue
		}
		if !l.Free {
			load[l.Owner]++
			continue
		}
		if slices.Contains(busy, l.ShardID) {
			continue
		}
		if l.LongFree {
			starving = append(starving, l.ShardID)
		} else {
			free = append(free, l.ShardID)
		}
	}
	mine := load[owner]
	lack, underFloor := 0, false
	for w := range isLive {
		if w != owner && load[w] < target {
			lack += target - load[w]
			underFloor = underFloor || load[w] < floor
		}
	}
	plan := LeasePlan{Target: target}
	if mine < target {
		claimable := free
		if mine >= floor && underFloor {
			claimable = nil // left to the worker under the floor (only long-free leases are taken)
		}
		n := min(target-mine, len(starving)+len(claimable))
		// Starving leases first: they wait the longest.
		all := append(append([]string(nil), starving...), claimable...)
		plan.Claim = all[:n]
		starving = starving[min(n, len(starving)):]
	}
	plan.ClaimStarving = starving
	// Over the target, give up what the others lack; at the target, give up one when another
	// worker is under the floor.
	switch {
	case mine > target:
		plan.Release = min(mine-target, lack)
	case mine == target && target > floor && underFloor:
		plan.Release = 1
	}
	return plan
}
