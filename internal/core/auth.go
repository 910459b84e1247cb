package core

import (
	"context"
	"sync"
	"time"
)

// token is an app token and when it stops being used.
type token struct {
	value   string
	expires time.Time // zero: never
	refresh time.Time // after this a refresh starts, the token still serves
}

// After a failed fetch no fetch starts for a backoff, doubling from
// minBackoff to maxBackoff and reset by a success: without it every call
// after a failure would fetch again.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// tokenCache hands out the app token: one fetch in flight however many
// callers wait, an early refresh before expiry, and invalidation of only the
// token the server rejected. While a backoff runs, callers get the current
// token if it is live and the last fetch's error if not.
type tokenCache struct {
	fetch func(ctx context.Context) (token, error)
	now   func() time.Time

	base context.Context // ended by Close, so a fetch in flight stops
	stop context.CancelFunc

	mu       sync.Mutex
	cur      token
	inflight chan struct{} // closed when the running fetch ends
	err      error         // the last fetch's failure; nil after a success
	backoff  time.Duration // the last backoff; zero after a success
	retryAt  time.Time     // no fetch starts before this
}

// Token returns a valid token, fetching one if needed.
func (t *tokenCache) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	now := t.now()
	cur := t.cur
	canFetch := t.inflight == nil && !now.Before(t.retryAt)
	if cur.live(now) {
		if !cur.refresh.IsZero() && !now.Before(cur.refresh) && canFetch {
			t.start() // refresh early in the background; this caller keeps the current token
		}
		t.mu.Unlock()
		return cur.value, nil
	}
	done := t.inflight
	if done == nil {
		if !canFetch {
			err := t.err
			t.mu.Unlock()
			return "", err
		}
		done = t.start()
	}
	t.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	t.mu.Lock()
	cur, err := t.cur, t.err
	live := cur.live(t.now())
	t.mu.Unlock()
	switch {
	case live:
		return cur.value, nil
	case err != nil:
		// A failed fetch leaves the old, expired token in place: do not hand it out.
		return "", err
	}
	// The fetched token was invalidated by a 401 before this caller woke.
	return t.Token(ctx)
}

// live reports whether the token may still be sent at now.
func (tk token) live(now time.Time) bool {
	return tk.value != "" && (tk.expires.IsZero() || now.Before(tk.expires))
}

// start launches a fetch; t.mu is held. The fetch is detached from any one
// caller's context so a caller that gives up does not fail the others.
func (t *tokenCache) start() chan struct{} {
	done := make(chan struct{})
	t.inflight = done
	base := t.baseContext()
	go func() {
		ctx, cancel := context.WithTimeout(base, 30*time.Second)
		defer cancel()
		tok, err := t.fetch(ctx)
		t.mu.Lock()
		if err == nil {
			t.cur, t.backoff, t.retryAt = tok, 0, time.Time{}
		} else {
			t.backoff = min(max(2*t.backoff, minBackoff), maxBackoff)
			t.retryAt = t.now().Add(t.backoff)
		}
		t.err = err
		t.inflight = nil
		t.mu.Unlock()
		close(done)
	}()
	return done
}

// Invalidate drops value if it is still the current token, so a 401 on an
// old token does not throw away a fresh one.
func (t *tokenCache) Invalidate(value string) {
	t.mu.Lock()
	if t.cur.value == value {
		t.cur = token{}
	}
	t.mu.Unlock()
}

// newToken computes the refresh point: at 80% of the lifetime, and at least
// a minute (or half a short lifetime) before expiry.
func newToken(value string, issued time.Time, ttl time.Duration) token {
	if ttl <= 0 {
		return token{value: value}
	}
	lead := max(ttl/5, min(time.Minute, ttl/2))
	expires := issued.Add(ttl)
	return token{value: value, expires: expires, refresh: expires.Add(-lead)}
}

// baseContext is the parent of every fetch; t.mu is held.
func (t *tokenCache) baseContext() context.Context {
	if t.base == nil {
		t.base, t.stop = context.WithCancel(context.Background())
	}
	return t.base
}

// Close stops a fetch in flight.
func (t *tokenCache) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stop != nil {
		t.stop()
	}
}

// HasLive reports whether a token can be handed out without a fetch.
func (t *tokenCache) HasLive() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur.live(t.now())
}
