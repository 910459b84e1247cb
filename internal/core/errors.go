package core

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// Sentinels for errors.Is. A server answer is an *Error; a local refusal for
// quota is a *ratelimit.WaitError; bad input is a *ValidationError; an
// answer without what the op documents is a *DecodeError.
var (
	// ErrPlanQuota is a 429 resource_limited: the plan's quota (for example
	// the free edition's user count) is used up. It is never retried.
	ErrPlanQuota = errors.New("easemob: plan quota exceeded")
	// ErrUnauthorized is a 401 that survived one token refresh, or the 401
	// of an upload: it cannot be replayed, but the next call has a fresh token.
	ErrUnauthorized = errors.New("easemob: unauthorized")
	// ErrNotFound is a 404.
	ErrNotFound = errors.New("easemob: not found")
	// ErrForbidden is a 403 other than the message quota.
	ErrForbidden = errors.New("easemob: forbidden")
	// ErrInvalidArgument is bad input caught before any quota was spent.
	ErrInvalidArgument = errors.New("easemob: invalid argument")
	// ErrUnexpectedResponse is a success answer that does not carry what
	// the operation documents.
	ErrUnexpectedResponse = errors.New("easemob: unexpected response")
)

// Error is an error answer from the server, decoded from its documented
// body: {"error", "error_description", "exception", "timestamp", "duration"}.
// Text copied from the body is bounded and has credentials removed.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the body's "error", e.g. "reach_limit" or "service_resource_not_found".
	Code string
	// Description is the body's "error_description", meant for people.
	Description string
	// Exception is the server's exception class, when it sends one.
	Exception string
	// Timestamp is when the server answered; Duration how long it took.
	Timestamp time.Time
	Duration  time.Duration
	// RetryAfter is the wait the server asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Op is the operation id (e.g. "users.Get") and Group its quota group.
	Op    string
	Group string
}

func (e *Error) Error() string {
	msg := e.Description
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("easemob: %s: %d %s: %s", e.Op, e.StatusCode, e.Code, msg)
}

// Is matches the sentinels: ratelimit.ErrRateLimited for a 429 reach_limit
// and for the 403 message quota, ErrPlanQuota, ErrUnauthorized, ErrNotFound,
// ErrForbidden.
func (e *Error) Is(target error) bool {
	switch target {
	case ratelimit.ErrRateLimited:
		return e.RateLimited()
	case ErrPlanQuota:
		return e.StatusCode == http.StatusTooManyRequests && e.Code == "resource_limited"
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden && !e.messageQuota()
	}
	return false
}

// RateLimited reports a refusal for rate: a 429 other than the plan quota,
// the 403 that the message quota and the daily broadcast caps answer, or
// the 400 that translation answers over its rate.
func (e *Error) RateLimited() bool {
	switch e.StatusCode {
	case http.StatusTooManyRequests:
		return e.Code != "resource_limited"
	case http.StatusBadRequest:
		return e.Description == translateLimit
	}
	return e.messageQuota()
}

// translateLimit is the description of translation's over-rate 400.
const translateLimit = "The request has reached the maximum limit"

// quota403 are the descriptions of the documented 403 quota refusals: the
// message quota and the daily caps of the three broadcasts.
var quota403 = map[string]bool{
	"message send reach limit":             true,
	"chatroom broadcast limit exceeded":    true,
	"broadcast message limit exceeded":     true,
	"online user broadcast limit exceeded": true,
}

// messageQuota recognises a 403 quota refusal: the message quota by its
// code (message_send_error), any of them by its description.
func (e *Error) messageQuota() bool {
	return e.StatusCode == http.StatusForbidden && (e.Code == "message_send_error" || quota403[e.Description])
}

// ValidationError is input the SDK refused before spending any quota.
type ValidationError struct {
	Op     string
	Field  string
	Reason string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("easemob: %s: invalid %s: %s", e.Op, e.Field, e.Reason)
}

// Is matches ErrInvalidArgument.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidArgument }

// Invalid builds a *ValidationError.
func Invalid(op, field, format string, args ...any) error {
	return &ValidationError{Op: op, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// DecodeError is a success answer that does not carry what the operation
// documents (a missing entity, an undecodable body). The server may have
// acted: the call is not resent.
type DecodeError struct {
	Op         string
	StatusCode int
	Reason     string
	Err        error // the JSON error, if any
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("easemob: %s: unexpected %d response: %s", e.Op, e.StatusCode, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Is matches ErrUnexpectedResponse.
func (e *DecodeError) Is(target error) bool { return target == ErrUnexpectedResponse }

// Unwrap returns the JSON error.
func (e *DecodeError) Unwrap() error { return e.Err }
