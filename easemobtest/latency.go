package easemobtest

import (
	"context"
	"net/http"
	"time"
)

// WithLatency puts a network between client and server: every request
// reaches the server toServer after the emulator received it (its arrival
// time, the timestamp of its answer) and every answer reaches the client
// toClient after the server wrote it. Requests are counted against their
// quotas at their arrival times and in their order, as if each were
// carried exactly its delay, not at a timer's wake-up. The delays are real
// time, even under WithClock (whose clock then gives the arrival times).
// Negative delays are an error.
func WithLatency(toServer, toClient time.Duration) Option {
	return func(c *config) { c.toServer, c.toClient = toServer, toClient }
}

// WithLatencyFunc is WithLatency with delays drawn per request by f (for
// jitter and slow tails); it replaces WithLatency. f must be safe for
// concurrent use; negative delays count as zero.
func WithLatencyFunc(f func() (toServer, toClient time.Duration)) Option {
	return func(c *config) { c.latency = f }
}

// legs returns the two delays of one request.
func (c *config) legs() (toServer, toClient time.Duration) {
	if c.latency != nil {
		return c.latency()
	}
	return c.toServer, c.toClient
}

// network returns the arrival order of the emulated network, or nil when
// requests get there at once or the clock is the caller's (its instants
// are not the delays' real time).
func (c *config) network() *arrivals {
	if c.ownClock || (c.latency == nil && c.toServer <= 0) {
		return nil
	}
	return &arrivals{}
}

// sleep waits d, or less when ctx ends first; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reach carries q to the server and sets its arrival. With the emulated
// network the arrival is when q was received plus toServer, and the quota
// counts q then, in arrival order (see arrivals); without it, or under
// WithClock, the arrival is the clock's time once toServer has passed. It
// reports false when the client gave up first.
func (e *Emulator) reach(q *request, toServer time.Duration) bool {
	if e.arrivals == nil {
		if !sleep(q.r.Context(), toServer) {
			return false
		}
		q.now = e.now()
		q.handled = q.now
		return true
	}
	at := time.Now().Add(max(toServer, 0))
	q.ticket = e.arrivals.take(at)
	if !sleep(q.r.Context(), time.Until(at)) {
		q.ticket.drop()
		return false
	}
	q.now, q.handled = at, time.Now()
	return true
}

// countArrival runs a quota count of q at its arrival: at once, or in
// arrival order on the emulated network.
func (e *Emulator) countArrival(q *request, count func(now time.Time)) {
	if q.ticket == nil {
		count(e.now())
		return
	}
	// A request counted late (it held up the others too long) is
	// stamped when it was counted, so that its answer stays true. Its
	// handling runs from the count: the wait for its turn is the
	// emulator's, not the server's.
	q.now = q.ticket.count(count)
	q.handled = time.Now()
}

// arrivalKey keys the arrival in the request an OnRequest hook gets.
type arrivalKey struct{}

// ArrivedAt returns the instant the emulator counts r as having arrived
// at: the timestamp of its answer. It is set on the request an OnRequest
// hook gets; with WithLatency that is the time r was received plus its
// delay, however late the hook runs.
func ArrivedAt(r *http.Request) (time.Time, bool) {
	at, ok := r.Context().Value(arrivalKey{}).(time.Time)
	return at, ok
}
