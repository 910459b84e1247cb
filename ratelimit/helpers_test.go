package ratelimit_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// guard bounds how long a helper spins on a state the test expects to
// reach; it only turns a hang into a failure and never decides a result.
const guard = 30 * time.Second

// newClock starts a ManualClock an hour ahead of the wall clock: the
// limiter reads context deadlines on its own clock, and deadlines taken
// from this one lie in the real future, so a context never expires by
// itself while a test runs.
func newClock() *ratelimit.ManualClock {
	return ratelimit.NewManualClock(time.Now().Add(time.Hour))
}

// newLimiter builds a registry with one group "g" on a fresh ManualClock
// and returns that group's limiter for App Key "app".
func newLimiter(t testing.TB, limits []ratelimit.Limit, opts ...ratelimit.Option) (*ratelimit.Limiter, *ratelimit.ManualClock) {
	t.Helper()
	clk := newClock()
	opts = append([]ratelimit.Option{ratelimit.WithClock(clk)}, opts...)
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}}, opts...)
	l := reg.App("app").Limiter("g")
	if l == nil {
		t.Fatal("group g missing")
	}
	return l, clk
}

// waitAsync runs Wait in a goroutine; the result arrives on the channel.
func waitAsync(ctx context.Context, l *ratelimit.Limiter, c ratelimit.Cost) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- l.Wait(ctx, c) }()
	return ch
}

// waitParked spins until n callers of l are parked: on the clock or queued.
func waitParked(t testing.TB, clk *ratelimit.ManualClock, l *ratelimit.Limiter, n int) {
	t.Helper()
	end := time.Now().Add(guard)
	for parked(clk, l) != n {
		if time.Now().After(end) {
			t.Fatalf("parked = %d, want %d", parked(clk, l), n)
		}
		runtime.Gosched()
	}
}

// parked counts the callers of l parked on the clock or in the queue, or
// returns -1 while a queued caller has a wake-up to look at.
func parked(clk *ratelimit.ManualClock, l *ratelimit.Limiter) int {
	idle, settled := l.QueuedIdle()
	if !settled {
		return -1
	}
	return clk.Waiters() + idle
}

// delay returns l.Delay(c), failing on an error.
func delay(t testing.TB, l *ratelimit.Limiter, c ratelimit.Cost) time.Duration {
	t.Helper()
	d, err := l.Delay(c)
	if err != nil {
		t.Fatalf("Delay: %v", err)
	}
	return d
}

// result receives a Wait result, failing if none comes.
func result(t testing.TB, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(guard):
		t.Fatal("Wait did not return")
		return nil
	}
}

// pending asserts that a parked Wait has not returned.
func pending(t testing.TB, ch <-chan error) {
	t.Helper()
	select {
	case err := <-ch:
		t.Fatalf("Wait returned %v while the clock had not reached its slot", err)
	default:
	}
}

// atOnce calls f and fails if it blocks: with the clock frozen, returning
// at all means returning at once.
func atOnce(t testing.TB, f func() error) error {
	t.Helper()
	ch := make(chan error, 1)
	go func() { ch <- f() }()
	return result(t, ch)
}
