// Package observe is how a client reports what its quota engine does: the
// waits and acquisitions of quota, local refusals, the server's rate
// refusals (429), resends, and changes of a group's rate after the server
// refused. Set an Observer in easemob.Config.Observer; packages
// observe/prom and observe/otelmetric turn the events into metrics.
//
// The package is a leaf: it imports nothing of the SDK, so exporters depend
// on it alone.
package observe

import (
	"context"
	"time"
)

// Kind says what an Event reports.
type Kind uint8

// Event kinds.
const (
	// Acquired: a call was granted its quota and goes on the wire. Wait is
	// how long it waited for the quota (0 when it was free). Every attempt
	// of a call, resends included, is acquired anew.
	Acquired Kind = iota + 1
	// Refused: the call was refused locally for quota, spending nothing (a
	// deadline the quota cannot meet, option.NoWait). Wait is the wait it
	// would have needed; Err is the *ratelimit.WaitError.
	Refused
	// RateLimited: the server refused the call for rate (429 reach_limit,
	// or 403 for a message quota). Status is the HTTP status.
	RateLimited
	// Retry: the call is about to be resent. Attempt is the attempt that
	// failed (1 for the first send); Err is why.
	Retry
	// RateChanged: the group's rate factor changed, cut after a server
	// refusal or raised back after quiet windows. Factor is the new one (1:
	// the full configured quota).
	RateChanged
)

// String returns the kind's name, e.g. "acquired".
func (k Kind) String() string {
	switch k {
	case Acquired:
		return "acquired"
	case Refused:
		return "refused"
	case RateLimited:
		return "rate_limited"
	case Retry:
		return "retry"
	case RateChanged:
		return "rate_changed"
	}
	return "unknown"
}

// Event is one thing that happened to one call of one quota group.
type Event struct {
	Kind Kind
	// AppKey is the client's App Key; Group its quota group (e.g.
	// "users.get"); Op the operation id (e.g. "users.Get").
	AppKey, Group, Op string
	// Wait: see Acquired and Refused.
	Wait time.Duration
	// Attempt: see Retry.
	Attempt int
	// Status: see RateLimited.
	Status int
	// Factor: see RateChanged.
	Factor float64
	// Err: see Refused and Retry.
	Err error
}

// Observer receives events. Observe runs on the goroutine of the call the
// event is about, with that call's context, so it must be quick and safe
// for concurrent use.
type Observer interface {
	Observe(ctx context.Context, e Event)
}

// Func is an Observer made of a function.
type Func func(ctx context.Context, e Event)

// Observe calls f.
func (f Func) Observe(ctx context.Context, e Event) { f(ctx, e) }

// Multi returns an Observer that passes every event to each of obs in turn;
// nil entries are skipped.
func Multi(obs ...Observer) Observer {
	var list multi
	for _, o := range obs {
		if o != nil {
			list = append(list, o)
		}
	}
	return list
}

type multi []Observer

func (m multi) Observe(ctx context.Context, e Event) {
	for _, o := range m {
		o.Observe(ctx, e)
	}
}
