package option

import "time"

// RetryPolicy bounds the resends of one call. Every resend pays quota
// again, as the server counts it. The zero value means the defaults.
type RetryPolicy struct {
	// MaxAttempts counts the first try; default 4. 1 disables retries.
	MaxAttempts int
	// BaseDelay is the first backoff step (default 200ms); it doubles per
	// attempt up to MaxDelay (default 5s), with full jitter. A server's
	// Retry-After is honoured as asked, up to the context's deadline.
	BaseDelay time.Duration
	MaxDelay  time.Duration
}

// WithDefaults fills the zero fields with the defaults.
func (p RetryPolicy) WithDefaults() RetryPolicy {
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
