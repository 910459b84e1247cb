package ratelimit

import (
	"context"
)

// TryAcquire is Acquire that does not wait: it spends and returns a Grant
// only when the call's quota is free now, and otherwise a *WaitError with
// the wait it would have needed.
func (l *Limiter) TryAcquire(c Cost) (Grant, error) {
	var g Grant
	err := l.acquire(context.Background(), c, false, &g)
	return g, err
}

// Precheck returns the *WaitError that a blocking call with ctx would get
// at once because its quota cannot come before ctx's deadline, or nil. It
// spends nothing; callers use it before slow preparation (a token fetch)
// that a refused call should not pay for.
func (l *Limiter) Precheck(ctx context.Context, c Cost) error {
	dl, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	d, err := l.Delay(c)
	if err != nil {
		return err
	}
	if l.reg.now()+int64(d) > l.reg.since(dl) {
		return &WaitError{Group: l.group, Wait: d, deadline: true}
	}
	return nil
}
