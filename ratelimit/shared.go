package ratelimit

import (
	"context"
	"errors"
	"fmt"
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
	// Retry is how long the registry leaves the store alone after a failure
	// before asking it again (default 1 s): a down store must not add its
	// timeout to every call.
	Retry time.Duration
}

// WithStore shares every App Key's budget through s, so that replicas of a
// service together stay within the quota. On store failures p applies.
func WithStore(s Store, p FailurePolicy) Option {
	return func(r *Registry) {
		if p.Retry <= 0 {
			p.Retry = time.Second
		}
		r.store, r.policy = s, p
	}
}

// storeState is the registry's view of its store.
type storeState struct {
	store     Store
	policy    FailurePolicy
	downUntil atomic.Int64 // registry time before which the store is not asked
	failures  atomic.Int64
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

// acquireShared decides a call through the store; when the store fails it
// falls back to the local share or fails closed.
func (l *Limiter) acquireShared(ctx context.Context, c Cost, block bool) error {
	r := l.reg
	for r.now() >= r.downUntil.Load() {
		req, err := l.storeRequest(ctx, c, block)
		if err != nil {
			return err
		}
		wait, ok, err := r.store.Reserve(ctx, req)
		switch {
		case errors.Is(err, ErrCostTooHigh):
			return err
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			r.failures.Add(1)
			r.downUntil.Store(r.now() + int64(r.policy.Retry))
			r.logger.Warn("easemob: quota store failed; using the fallback policy",
				"group", l.group, "err", err, "local_share", r.policy.Share)
			continue // the loop condition now sends the call to the fallback
		case ok:
			l.countGrant()
			return l.sleepFor(ctx, wait)
		case !block:
			return &WaitError{Group: l.group, Wait: wait}
		}
		// Refused past the deadline, or held back by its own scope: wait for
		// the time the store named and ask again.
		if dl, has := ctx.Deadline(); has && r.clock.Now().Add(wait).After(dl) {
			return &WaitError{Group: l.group, Wait: wait, deadline: true}
		}
		if err := l.sleepFor(ctx, wait); err != nil {
			return err
		}
	}
	if r.policy.Share <= 0 {
		return fmt.Errorf("%w (group %s)", ErrStoreUnavailable, l.group)
	}
	return l.acquireLocal(ctx, c, block)
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
		if u := l.units(&lim, c); u > int64(lim.Count) {
			return req, ErrCostTooHigh
		}
		req.Limits[i], req.Units[i] = lim, l.units(&lim, c)
	}
	switch dl, has := ctx.Deadline(); {
	case !block:
		req.MaxWait = 0
	case has:
		req.MaxWait = max(0, time.Until(dl))
	}
	return req, nil
}

func (l *Limiter) countGrant() {
	l.mu.Lock()
	l.grants++
	l.mu.Unlock()
}

// sleepFor waits d on the registry's clock, or until ctx ends. A store
// reservation cannot be given back, so an abandoned one stays spent: that
// errs on the safe side.
func (l *Limiter) sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	fire, stop := l.reg.clock.NewTimer(d)
	select {
	case <-fire:
		return nil
	case <-ctx.Done():
		stop()
		return ctx.Err()
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
