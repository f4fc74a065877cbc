package processor

// Shard leases: several processors (ECS runs at least three) share one stream. Every
// LeaseRenewInterval a worker renews the leases it holds (a lease it lost stops its shard at
// once), then runs a lease round (store.Balance): heartbeat, claim free leases of eligible
// shards up to ceil(eligible / live workers) (and any lease free for over a lease duration, so
// no shard starves), and give up leases above that target when another live worker lacks some,
// or one at the target when another is under floor(eligible / live workers); a worker at or over
// that floor leaves free leases to a worker under it (store.PlanLeases), so a lease given up is
// not taken back by its releaser before the worker that lacks it takes it.
// A worker reads a shard only while it holds the lease: it stops fetching when the lease was not
// renewed within LeaseDuration (by its own clock, measured from before the renewal was sent),
// and each batch's write is fenced by the lease's owner and token, so a worker that lost a lease
// stores nothing more of that shard and never moves its checkpoint. A shard given up, read to
// its end, or stopped by shutdown has its batch in flight written first, then its lease
// released, so another worker takes it over at once from the checkpoint.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carepulse/hipaa-pipeline/services/store"
)

// LeaseStore keeps the shard leases (store.Store).
type LeaseStore interface {
	Balance(ctx context.Context, req store.BalanceRequest) (store.BalanceResult, error)
	RenewLeases(ctx context.Context, leases []store.Lease, d time.Duration) (lost []store.Lease, err error)
	ReleaseLease(ctx context.Context, l store.Lease) (released bool, err error)
	DeregisterWorker(ctx context.Context, stream, owner string) error
}

var (
	errRebalanced = errors.New("lease given up for another worker")
	errLeaseLost  = errors.New("lease lost")
)

// heldLease is a lease this worker holds and the shard worker that reads under it.
type heldLease struct {
	lease      store.Lease
	validUntil atomic.Int64 // nanoseconds since monoEpoch (monotonic): fetch no more after it
	lost       atomic.Bool
	releasing  atomic.Bool // set before the release, so a renewal racing with it is not a loss
	stopping   bool        // guarded by leaseRunner.mu
	cancel     context.CancelCauseFunc
}

// monoEpoch anchors the leases' local validity on the monotonic clock (a wall clock step
// cannot extend a lease).
var monoEpoch = time.Now()

func (h *heldLease) valid() bool { return int64(time.Since(monoEpoch)) < h.validUntil.Load() }

func (h *heldLease) extend(from time.Time, d time.Duration) {
	h.validUntil.Store(int64(from.Sub(monoEpoch) + d))
}

func checkLeaseConfig(cfg *Config) error {
	if cfg.Leases == nil {
		return nil
	}
	if cfg.Owner == "" {
		return errors.New("processor: Config.Owner (this worker's unique ID) is required with leases")
	}
	if cfg.LeaseDuration == 0 {
		cfg.LeaseDuration = 30 * time.Second
	}
	if cfg.LeaseDuration < 10*time.Millisecond {
		return fmt.Errorf("processor: lease duration %s is below 10ms", cfg.LeaseDuration)
	}
	if cfg.LeaseRenewInterval == 0 {
		cfg.LeaseRenewInterval = cfg.LeaseDuration / 3
	}
	if cfg.LeaseRenewInterval <= 0 || cfg.LeaseRenewInterval > cfg.LeaseDuration/3 {
		return fmt.Errorf("processor: lease renewal interval %s must be positive and at most a third of the lease duration %s",
			cfg.LeaseRenewInterval, cfg.LeaseDuration)
	}
	return nil
}

// leaseRunner is the state of one leased Run.
type leaseRunner struct {
	p         *Processor
	ctx       context.Context
	fail      func(error)
	wg        sync.WaitGroup
	mu        sync.Mutex
	held      map[string]*heldLease
	done      map[string]bool // shards read to their end
	shardDone chan struct{}
	shards    []Shard
	listedAt  time.Time
	relist    bool
}

func (p *Processor) runLeased(parent context.Context) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	r := &leaseRunner{p: p, ctx: ctx, fail: cancel, held: map[string]*heldLease{}, done: map[string]bool{},
		shardDone: make(chan struct{}, 1)}
	log := p.cfg.Logger.With("stream", p.cfg.Stream, "owner", p.cfg.Owner)
	log.Info("lease coordination started", "lease_duration", p.cfg.LeaseDuration.String(),
		"renew_interval", p.cfg.LeaseRenewInterval.String())
	tick := time.NewTicker(p.cfg.LeaseRenewInterval)
	defer tick.Stop()
	for {
		if err := r.round(); err != nil && ctx.Err() == nil {
			cancel(err)
		}
		select {
		case <-ctx.Done():
			// Deregister first: the others' targets grow at once, and while this worker's leases
			// are being released it is not a live worker under the floor that they would each give
			// up a lease for. Then each shard worker writes its batch in flight and releases its
			// lease (the others take the leases as they become free).
			dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.WriteTimeout)
			if err := p.cfg.Leases.DeregisterWorker(dctx, p.cfg.Stream, p.cfg.Owner); err != nil {
				log.Error("worker not deregistered (its heartbeat expires by itself)", "error", err)
			}
			dcancel()
			r.wg.Wait()
			if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			log.Info("lease coordination stopped, leases released")
			return nil
		case <-tick.C:
		case <-r.shardDone:
			r.relist = true
		}
	}
}

// round renews the held leases, then balances and starts the shards newly leased.
func (r *leaseRunner) round() error {
	p := r.p
	if err := r.renew(); err != nil {
		return err
	}
	if r.relist || r.listedAt.IsZero() || time.Since(r.listedAt) >= p.cfg.ShardRefresh {
		shards, err := p.src.Shards(r.ctx)
		if err != nil {
			if r.ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("processor: list shards of %s: %w", p.cfg.Stream, err)
		}
		r.shards, r.listedAt, r.relist = shards, time.Now(), false
	}
	eligible, err := r.eligible()
	if err != nil {
		return err
	}
	r.mu.Lock()
	busy := make([]string, 0, len(r.held))
	for id := range r.held {
		busy = append(busy, id)
	}
	r.mu.Unlock()
	start := time.Now()
	// Not interrupted by shutdown: a claim committed but not answered would stay held until it
	// expires; a lease taken now is released at once by its stopping shard worker.
	bctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), p.cfg.WriteTimeout)
	res, err := p.cfg.Leases.Balance(bctx, store.BalanceRequest{Stream: p.cfg.Stream, Owner: p.cfg.Owner,
		Eligible: eligible, Busy: busy, LeaseDuration: p.cfg.LeaseDuration})
	cancel()
	if err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("processor: lease round: %w", err)
	}
	for _, l := range res.Claimed {
		r.start(l, start)
	}
	r.giveUp(res.Release)
	return nil
}

// renew extends every held lease; a lost one stops its shard at once.
func (r *leaseRunner) renew() error {
	p := r.p
	r.mu.Lock()
	leases := make([]store.Lease, 0, len(r.held))
	for _, h := range r.held {
		if !h.lost.Load() && !h.releasing.Load() {
			leases = append(leases, h.lease)
		}
	}
	r.mu.Unlock()
	if len(leases) == 0 {
		return nil
	}
	start := time.Now()
	lost, err := p.cfg.Leases.RenewLeases(r.ctx, leases, p.cfg.LeaseDuration)
	if err != nil {
		if r.ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("processor: renew leases: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range leases {
		h := r.held[l.ShardID]
		if h == nil || h.lease.Token != l.Token || h.releasing.Load() {
			continue
		}
		if slices.ContainsFunc(lost, func(x store.Lease) bool { return x.ShardID == l.ShardID }) {
			if !h.lost.Swap(true) {
				p.leasesLost.Add(1)
			}
			h.cancel(errLeaseLost)
			p.cfg.Logger.Warn("lease lost: shard stopped", "stream", p.cfg.Stream, "shard", l.ShardID, "lease_token", l.Token)
			continue
		}
		h.extend(start, p.cfg.LeaseDuration)
	}
	return nil
}

// eligible lists the shards to read now: not finished, parents finished (or trimmed).
func (r *leaseRunner) eligible() ([]string, error) {
	p := r.p
	listed := make(map[string]bool, len(r.shards))
	for _, s := range r.shards {
		listed[s.ID] = true
	}
	finished := func(id string) (bool, error) {
		r.mu.Lock()
		d := r.done[id]
		r.mu.Unlock()
		if d {
			return true, nil
		}
		_, fin, _, err := p.w.Checkpoint(r.ctx, p.cfg.Stream, id)
		if err != nil {
			return false, fmt.Errorf("processor: shard %s: %w", id, err)
		}
		if fin {
			r.mu.Lock()
			r.done[id] = true
			r.mu.Unlock()
		}
		return fin, nil
	}
	var out []string
	for _, s := range r.shards {
		fin, err := finished(s.ID)
		if err != nil {
			return nil, err
		}
		if fin {
			continue
		}
		ready := true
		for _, parent := range s.ParentIDs {
			if !listed[parent] {
				continue // expired from the stream: nothing left to read before the child
			}
			pf, err := finished(parent)
			if err != nil {
				return nil, err
			}
			ready = ready && pf
		}
		if ready {
			out = append(out, s.ID)
		}
	}
	return out, nil
}

// start runs a shard worker under a lease just taken (at or after since).
func (r *leaseRunner) start(l store.Lease, since time.Time) {
	p := r.p
	sctx, cancel := context.WithCancelCause(r.ctx)
	h := &heldLease{lease: l, cancel: cancel}
	h.extend(since, p.cfg.LeaseDuration)
	r.mu.Lock()
	r.held[l.ShardID] = h
	r.mu.Unlock()
	p.leasesTaken.Add(1)
	log := p.cfg.Logger.With("stream", p.cfg.Stream, "shard", l.ShardID, "owner", l.Owner, "lease_token", l.Token)
	log.Info("lease taken")
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer cancel(nil)
		end, err := p.runShard(sctx, l.ShardID, h)
		if !h.lost.Load() {
			// The batch in flight is written: hand the shard over at once.
			h.releasing.Store(true)
			rctx, rcancel := context.WithTimeout(context.WithoutCancel(sctx), p.cfg.WriteTimeout)
			released, rerr := p.cfg.Leases.ReleaseLease(rctx, l)
			rcancel()
			switch {
			case rerr != nil:
				log.Error("lease not released (it expires by itself)", "error", rerr)
			case released:
				log.Info("lease released", "reason", releaseReason(end, err, context.Cause(sctx)))
			default:
				log.Warn("lease was already lost when releasing it")
			}
		}
		r.mu.Lock()
		if r.held[l.ShardID] == h {
			delete(r.held, l.ShardID)
		}
		if end {
			r.done[l.ShardID] = true
		}
		r.mu.Unlock()
		if err != nil {
			r.fail(err)
			return
		}
		if !end && errors.Is(context.Cause(sctx), errRebalanced) {
			// Given up for another worker: no round at once (its next round comes at the next
			// renewal; store.PlanLeases also leaves the lease to the worker that lacks one).
			return
		}
		select {
		case r.shardDone <- struct{}{}: // children may start, or another lease be taken
		default:
		}
	}()
}

func releaseReason(end bool, err, cause error) string {
	switch {
	case end:
		return "shard read to its end"
	case err != nil:
		return "shard failed"
	case errors.Is(cause, errRebalanced):
		return "rebalanced to another worker"
	case cause != nil:
		return "shutdown"
	default:
		return "lease not renewed in time"
	}
}

// giveUp stops n of the held shards (beyond those already stopping); each writes its batch in
// flight, then releases its lease.
func (r *leaseRunner) giveUp(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var running []string
	for id, h := range r.held {
		if h.stopping {
			n--
		} else {
			running = append(running, id)
		}
	}
	if n <= 0 {
		return
	}
	slices.Sort(running)
	slices.Reverse(running)
	for _, id := range running[:min(n, len(running))] {
		h := r.held[id]
		h.stopping = true
		h.cancel(errRebalanced)
	}
}
