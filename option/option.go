// Package option holds the per-call options every SDK method takes last:
//
//	u, err := c.Users.Get(ctx, "alice", option.NoWait())
//	res, err := c.Users.RegisterBatch(ctx, accounts, option.Bulk(), option.Concurrency(4))
//
// Options apply to one call; a batch method applies them to each of its
// server calls.
package option

import (
	"net/http"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// Call is one per-call option.
type Call func(*Settings)

// Settings is what a list of options resolves to; the SDK reads it.
type Settings struct {
	// Priority is the lane the call waits in for quota; nil keeps the
	// context's lane (ratelimit.WithPriority), Interactive by default.
	Priority *ratelimit.Priority
	// NoWait refuses the call at once, spending nothing, unless its quota is free now.
	NoWait bool
	// MaxWait bounds the wait for quota (0: only the context's deadline does).
	MaxWait time.Duration
	// Response, when set, receives the last answer's status and headers.
	Response *Response
	// Header is added to each request.
	Header http.Header
	// Retry replaces the client's retry policy for this call.
	Retry *RetryPolicy
	// Concurrency bounds the server calls a batch has in flight (default 16).
	Concurrency int
	// ResendAmbiguous allows resending a write after a failure that leaves
	// unknown whether the server acted (a dropped connection, a 5xx on POST).
	ResendAmbiguous bool
}

// Resolve applies opts in order to a zero Settings.
func Resolve(opts ...Call) Settings {
	var s Settings
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// Bulk queues the call in the bulk lane, behind every interactive call.
func Bulk() Call { return lane(ratelimit.Bulk) }

// Interactive queues the call in the interactive lane (the default).
func Interactive() Call { return lane(ratelimit.Interactive) }

func lane(p ratelimit.Priority) Call { return func(s *Settings) { s.Priority = &p } }

// NoWait fails the call at once with a *ratelimit.WaitError, spending
// nothing, when its quota is not free now.
func NoWait() Call { return func(s *Settings) { s.NoWait = true } }

// MaxWait fails the call at once, spending nothing, when its quota would
// not be free within d.
func MaxWait(d time.Duration) Call { return func(s *Settings) { s.MaxWait = d } }

// CaptureResponse fills r with the status and headers of the call's last
// answer (of its last server call, for a batch).
func CaptureResponse(r *Response) Call { return func(s *Settings) { s.Response = r } }

// Header adds a request header to the call.
func Header(key, value string) Call {
	return func(s *Settings) {
		if s.Header == nil {
			s.Header = http.Header{}
		}
		s.Header.Add(key, value)
	}
}

// Retry replaces the client's retry policy for this call.
func Retry(p RetryPolicy) Call { return func(s *Settings) { s.Retry = &p } }

// Concurrency bounds the server calls a batch keeps in flight; n < 1 means 1.
func Concurrency(n int) Call { return func(s *Settings) { s.Concurrency = max(n, 1) } }

// ResendAmbiguous lets the SDK resend a write whose outcome is unknown (the
// connection dropped, or a POST got a 5xx): the server may then carry it
// out twice. Off by default.
func ResendAmbiguous() Call { return func(s *Settings) { s.ResendAmbiguous = true } }

// Response is what CaptureResponse records.
type Response struct {
	StatusCode int
	Header     http.Header
	// RequestID is the server's request id header, when it sends one.
	RequestID string
}
