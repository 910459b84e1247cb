package easemobtest

import (
	"context"
	"time"
)

// WithLatency puts a network between client and server: every request
// reaches the server toServer after it was sent (its arrival time, the
// timestamp of its answer, is after the delay) and every answer reaches the
// client toClient after the server wrote it. The delays are real time, even
// under WithClock. Negative delays are an error.
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
