package redisstore

import (
	"context"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// ReserveClock is Reserve that also returns the Redis server time the
// decision was made at (the grant, if any, is at now + wait), so tests can
// check the store without trusting their own clocks.
func ReserveClock(ctx context.Context, s *Store, r ratelimit.StoreRequest) (now time.Time, wait time.Duration, ok bool, err error) {
	return s.reserve(ctx, r)
}

// BatchResult is one call's part of a batch's answer.
type BatchResult struct {
	Sent bool      // false: dropped unsent, as its context had ended
	Now  time.Time // server time of the decision
	Wait time.Duration
	OK   bool
	Err  error
}

// ReserveBatch sends rs, with contexts ctxs, as one batch, the way
// concurrent Reserve calls that met in the queue are sent, and returns
// each answer. Waits are on the server's clock, as with ReserveClock.
func ReserveBatch(s *Store, ctxs []context.Context, rs []ratelimit.StoreRequest) []BatchResult {
	calls := make([]*call, len(rs))
	for i := range rs {
		calls[i] = &call{ctx: ctxs[i], done: make(chan struct{}, 1)}
		s.fill(calls[i], &rs[i])
	}
	var e executor
	e.run(s, calls)
	out := make([]BatchResult, len(rs))
	for i, c := range calls {
		select {
		case <-c.done:
		default:
			continue
		}
		out[i].Sent = true
		if out[i].Err = c.err; c.err == nil {
			out[i].Now, out[i].Wait, out[i].OK, out[i].Err = c.decode(rs[i])
		}
	}
	return out
}

// MaxGroup is how many calls one script decides at most.
const MaxGroup = maxGroup

// SettleAt ends the grant of r at end, a Redis time, at once and in one
// round trip, so tests can settle at instants of their choosing.
func SettleAt(ctx context.Context, s *Store, r *ratelimit.StoreRequest, end time.Time) error {
	g := scripted{index: map[string]int{}}
	s.settleArgs(&g, settlement{req: r, end: end.UnixMicro()})
	runScripts(ctx, s.client, settleScript, []*scripted{&g})
	return g.cmd.Err()
}

// Flying reports how many grants s keeps in flight for extension.
func Flying(s *Store) int {
	s.reporter.mu.Lock()
	defer s.reporter.mu.Unlock()
	return len(s.reporter.flying)
}
