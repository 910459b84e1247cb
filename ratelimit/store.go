package ratelimit

import (
	"context"
	"time"
)

// Store keeps quota state outside the process, so that replicas of a
// service share one App Key's budget. The in-process registry needs none;
// see package ratelimit/redisstore for Redis.
type Store interface {
	// Reserve spends r.Units on every limit of a call at the earliest time,
	// at or after the store's own clock, when all of them fit, and returns
	// how long the caller must wait before sending (0: send now). If that
	// time is more than r.MaxWait away it spends nothing and returns the
	// wait with ok false. A call held back only by a per-scope limit also
	// spends nothing (ok false): other scopes must not queue behind it.
	Reserve(ctx context.Context, r StoreRequest) (wait time.Duration, ok bool, err error)
	// Settle reports that the server had counted the call granted to r
	// (reserved with a Flight) by end: from then on it counts until one
	// window after end. It does not block; stores may batch and send late,
	// and a settlement lost with the store only leaves the provisional
	// end standing.
	Settle(r *StoreRequest, end time.Time)
	// Ping makes a round trip to the store, first opening what it needs
	// (connections, scripts), which no call should pay for within its
	// deadline. The registry calls it when it is made, and while the store
	// is down to learn when it is back.
	Ping(ctx context.Context) error
	// Throttle scales every limit of a group by factor (0 < factor <= 1)
	// for ttl, for every process that shares the store: one replica's 429
	// slows them all.
	Throttle(ctx context.Context, appKey, group string, factor float64, ttl time.Duration) error
}

// StoreRequest is one call's claim on a group's limits.
type StoreRequest struct {
	AppKey string
	Group  string
	// Scope is the value per-scope limits count for.
	Scope string
	// Limits are the limits in force; Units[i] is what the call spends on Limits[i].
	Limits []Limit
	Units  []int64
	// Margin is added to every window; Pace is the burst span of paced
	// windows (0: no pacing), as in the in-process registry.
	Margin time.Duration
	Pace   time.Duration
	// MaxWait bounds the wait the caller accepts; negative means no bound.
	MaxWait time.Duration
	// ID names the grant, so that Settle can find it: unique among the
	// grants of every process that shares the store (the registry draws
	// random ones). Zero: the grant is never settled.
	ID uint64
	// Flight, when positive, says that the caller settles the grant: until
	// then it counts as in flight, like an in-process grant before its
	// answer, and its end is provisionally the grant plus Flight, which the
	// store pushes out while the caller's process lives and which stands if
	// it dies. Zero ends the grant at the grant plus Margin.
	Flight time.Duration
}
