package ratelimit

import (
	"context"
	"time"
)

// Priority is the lane a call waits in. Both lanes share one budget; the
// bulk lane never books quota ahead, so it can never make an interactive
// call queue behind it.
type Priority uint8

const (
	// Interactive calls book the next free slot at once and wait for it in
	// order. It is the default.
	Interactive Priority = iota
	// Bulk calls take quota only when it is free now; otherwise they queue,
	// first come first served, behind one waiting bulk call that sleeps until
	// the next slot. An interactive call arriving while bulk traffic fills the
	// group therefore waits at most one slot (one emission interval).
	Bulk
)

// String returns "interactive" or "bulk".
func (p Priority) String() string {
	if p == Bulk {
		return "bulk"
	}
	return "interactive"
}

type priorityKey struct{}

// WithPriority returns a context whose calls wait in lane p.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// PriorityOf returns the lane of ctx's calls (Interactive unless set).
func PriorityOf(ctx context.Context) Priority {
	p, _ := ctx.Value(priorityKey{}).(Priority)
	return p
}

// waitBulk is the bulk lane: one caller at a time (in arrival order) sleeps
// until the next slot and takes it if it is still free; nothing is booked
// ahead.
func (l *Limiter) waitBulk(ctx context.Context, c Cost) error {
	select {
	case l.bulk <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.bulk }()
	for {
		l.mu.Lock()
		now := l.reg.now()
		l.recover(now)
		at, _, sc, err := l.earliest(now, c)
		if err != nil {
			l.mu.Unlock()
			return err
		}
		if at <= now {
			var r reservation
			l.commitShared(now, c, &r)
			l.commitScope(now, c, sc, &r)
			l.grants++
			l.mu.Unlock()
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && at > l.reg.since(dl) {
			l.mu.Unlock()
			return &WaitError{Group: l.group, Wait: time.Duration(at - now), deadline: true}
		}
		l.mu.Unlock()
		if err := l.sleepFor(ctx, time.Duration(at-now)); err != nil {
			return err
		}
	}
}
