package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// ErrStoreUnavailable is returned, under a fail-closed policy, while the
// shared Store cannot be reached.
var ErrStoreUnavailable = errors.New("easemob: quota store unavailable")

// FailurePolicy says what a registry with a Store does while the store
// fails (errors or times out).
type FailurePolicy struct {
	// Share is the part of each quota this process may spend on its own
	// meanwhile, e.g. 1/N for N replicas (fail open). Zero fails closed:
	// calls return ErrStoreUnavailable.
	Share float64
	// Threshold is how many failures in a row make the registry leave the
	// store alone (default 3): one slow answer does not switch every call
	// to the fallback.
	Threshold int
	// Retry is how often the registry then probes the store in the
	// background, while calls need it (default 100 ms): calls do not wait
	// on a down store, and go back to it as soon as a probe is answered.
	Retry time.Duration
	// Warmup bounds the store's start (default 1 s): the registry opens
	// its connections and loads what it needs when it is made, and calls
	// wait for that, not the store's per-call deadline. A probe is bounded
	// by it too. A store not ready by then is down.
	Warmup time.Duration
	// Flight bounds how long a call granted by the store counts as in
	// flight if this process dies before it reports the answer (default
	// 2 s); while the process lives, a slower call stays in flight.
	Flight time.Duration
}

// DefaultFlight is FailurePolicy.Flight's default: far above a request's
// way to the server, and short enough that a replica that dies holds
// little quota for long.
const DefaultFlight = 2 * time.Second

// WithStore shares every App Key's budget through s, so that replicas of a
// service together stay within the quota. On store failures p applies.
func WithStore(s Store, p FailurePolicy) Option {
	return func(r *Registry) {
		if p.Retry <= 0 {
			p.Retry = 100 * time.Millisecond
		}
		if p.Warmup <= 0 {
			p.Warmup = time.Second
		}
		if p.Threshold <= 0 {
			p.Threshold = 3
		}
		if p.Flight <= 0 {
			p.Flight = DefaultFlight
		}
		r.store, r.policy = s, p
		r.ids.Store(rand.Uint64())
	}
}

// storeState is the registry's view of its store.
type storeState struct {
	store    Store
	policy   FailurePolicy
	ready    chan struct{} // closed once the warm-up is over
	down     atomic.Bool   // calls use the fallback; a probe will bring it back
	downAt   atomic.Int64
	probeAt  atomic.Int64 // registry time before which no probe starts
	probing  atomic.Bool
	failures atomic.Int64
	inARow   atomic.Int64 // failures since the last answer
	ids      atomic.Uint64
}

// nextID names a grant to settle. IDs start at a random point, so that
// registries sharing a store do not collide.
func (r *storeState) nextID() uint64 {
	for {
		if id := r.ids.Add(1); id != 0 {
			return id
		}
	}
}

// localShare scales the in-process windows: with a store they only serve
// as the fallback, holding the policy's share of each quota.
func (r *Registry) localShare() float64 {
	if r.store == nil || r.policy.Share <= 0 {
		return 1
	}
	return r.policy.Share
}

// StoreFailures counts the store errors met so far (0 without a store).
func (r *Registry) StoreFailures() int64 { return r.failures.Load() }

// StoreDown reports whether calls use the FailurePolicy now, the store
// having failed (false without a store).
func (r *Registry) StoreDown() bool { return r.down.Load() }

// acquireShared decides a call through the store; while the store is down
// it falls back to the local share or fails closed.
func (l *Limiter) acquireShared(ctx context.Context, c Cost, block bool, g *Grant) error {
	r := l.reg
	select {
	case <-r.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		if err := l.viaStore(ctx, c, block, g); !errors.Is(err, errStoreDown) {
			return err
		}
		r.probe()
		// A fallback call still waiting when the store comes back asks the
		// store instead: a local grant then would be one the other
		// replicas do not see.
		if err := l.fallback(ctx, c, block, g); !errors.Is(err, errStoreBack) {
			return err
		}
	}
}

// errStoreDown and errStoreBack move a call between the store and the
// fallback.
var (
	errStoreDown = errors.New("ratelimit: store down")
	errStoreBack = errors.New("ratelimit: store back")
)

// storeBack reports whether a fallback call should leave for the store.
func (l *Limiter) storeBack() bool { return l.reg.store != nil && !l.reg.down.Load() }

// viaStore decides a call through the store, or returns errStoreDown.
func (l *Limiter) viaStore(ctx context.Context, c Cost, block bool, g *Grant) error {
	r := l.reg
	for !r.down.Load() {
		req, err := l.storeRequest(ctx, c, block)
		if err != nil {
			return err
		}
		if g != nil {
			// The answer will be reported: the grant stays in flight until
			// then, as in process, instead of ending at grant + margin.
			req.ID, req.Flight = r.nextID(), r.policy.Flight
		}
		wait, ok, err := r.store.Reserve(ctx, req)
		switch {
		case errors.Is(err, ErrCostTooHigh):
			return err
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			r.failures.Add(1)
			if r.inARow.Add(1) >= int64(r.policy.Threshold) {
				r.storeDown(l.group, err)
			}
			continue // ask again, or, once the store is down, fall back
		}
		r.inARow.Store(0)
		switch {
		case ok:
			l.recordGrant(c, wait, g, &req)
			if err := l.sleepFor(ctx, wait); err != nil {
				// Not sent: the grant ends now. It stays spent, on the safe
				// side, but holds nothing in flight.
				if g != nil {
					now := r.now()
					g.finish(now, now)
				}
				return err
			}
			return nil
		case !block:
			return &WaitError{Group: l.group, Wait: wait}
		}
		// Refused past the deadline, waiting on calls in flight, or held
		// back by its own scope: wait for the time the store named and ask
		// again.
		if dl, has := ctx.Deadline(); has && r.clock.Now().Add(wait).After(dl) {
			return &WaitError{Group: l.group, Wait: wait, deadline: true}
		}
		if err := l.sleepFor(ctx, wait); err != nil {
			return err
		}
	}
	return errStoreDown
}

// fallback decides a call the store could not: within the local share, or
// not at all under a fail-closed policy.
func (l *Limiter) fallback(ctx context.Context, c Cost, block bool, g *Grant) error {
	if l.reg.policy.Share <= 0 {
		return fmt.Errorf("%w (group %s)", ErrStoreUnavailable, l.group)
	}
	return l.acquireLocal(ctx, c, block, g)
}

func (l *Limiter) storeRequest(ctx context.Context, c Cost, block bool) (StoreRequest, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	req := StoreRequest{
		AppKey: l.app, Group: l.group, Scope: c.Scope,
		Limits: make([]Limit, len(l.base)),
		Units:  make([]int64, len(l.base)),
		Margin: l.reg.margin, Pace: l.reg.pace,
		MaxWait: -1,
	}
	for i, lim := range l.base {
		lim.Count = scaled(lim.Count, l.reg.factor)
		u := l.units(&lim, c)
		if u > int64(lim.Count) {
			return req, ErrCostTooHigh
		}
		req.Limits[i], req.Units[i] = lim, u
	}
	switch dl, has := ctx.Deadline(); {
	case !block:
		req.MaxWait = 0
	case has:
		req.MaxWait = max(0, time.Until(dl))
	}
	return req, nil
}

// recordGrant books a store grant in the local windows too, unchecked: if
// the store fails later, the fallback then knows what this process has
// just sent instead of starting from an empty window. With g the entries
// are in flight until g is reported, which settles req in the store too.
func (l *Limiter) recordGrant(c Cost, wait time.Duration, g *Grant, req *StoreRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.reg.now()
	at := now + int64(wait)
	for i := range l.shared {
		l.shared[i].expire(now)
		at = max(at, l.shared[i].last) // keep each log in time order
	}
	var sc *scoped
	if len(l.perIdx) > 0 {
		sc = l.scope(now, c.Scope)
		for j := range sc.windows {
			sc.windows[j].expire(now)
			at = max(at, sc.windows[j].last)
		}
	}
	l.commit(at, c, sc, g)
	if g != nil {
		g.req = req
	}
}

// shareThrottle tells the other replicas, through the store, that the
// server refused this group for rate: they slow down by the same factor
// until it has recovered.
func (l *Limiter) shareThrottle(factor float64, period int64) {
	if l.reg.store == nil {
		return
	}
	ttl := time.Duration(float64(period) * (1 - factor) / adaptRaise)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := l.reg.store.Throttle(ctx, l.app, l.group, factor, max(ttl, time.Duration(period))); err != nil {
			l.reg.logger.Warn("easemob: could not share a throttle", "group", l.group, "err", err)
		}
	}()
}
