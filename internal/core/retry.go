package core

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy bounds the resends of one call. Every resend pays quota again,
// as the server counts it.
type RetryPolicy struct {
	// MaxAttempts counts the first try; default 4. 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff step (default 200ms); it doubles per
	// attempt up to MaxDelay (default 5s), with full jitter.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// RetryPOSTOn5xx allows resending a POST after a 5xx, which may
	// duplicate a write the server did carry out. Off by default.
	RetryPOSTOn5xx bool
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 200 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 5 * time.Second
	}
	return p
}

// retryable says whether an error answer may be resent: rate refusals
// always (the server did nothing), 5xx when the method is safe to repeat.
func (p RetryPolicy) retryable(method string, e *Error) bool {
	if e.RateLimited() {
		return true
	}
	switch e.StatusCode {
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported:
		return false // permanent: a resend gets the same answer
	}
	if e.StatusCode >= 500 {
		return method != http.MethodPost || p.RetryPOSTOn5xx
	}
	return false
}

// backoff is the wait before attempt n+1 (n >= 1): full jitter over an
// exponential ceiling, or the server's Retry-After when it sends one.
func (p RetryPolicy) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxDelay)
	}
	ceil := p.BaseDelay << min(n-1, 20)
	if ceil <= 0 || ceil > p.MaxDelay {
		ceil = p.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}
