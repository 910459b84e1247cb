package core

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/emquota/easemob/ratelimit"
)

// Sentinels for errors.Is. A server answer is an *Error; a local refusal for
// quota is a *ratelimit.WaitError; bad input is a *ValidationError.
var (
	// ErrPlanQuota is a 429 resource_limited: the plan's quota (for example
	// the free edition's user count) is used up. It is never retried.
	ErrPlanQuota = errors.New("easemob: plan quota exceeded")
	// ErrUnauthorized is a 401 that survived one token refresh.
	ErrUnauthorized = errors.New("easemob: unauthorized")
	// ErrNotFound is a 404.
	ErrNotFound = errors.New("easemob: not found")
	// ErrForbidden is a 403 other than the message quota.
	ErrForbidden = errors.New("easemob: forbidden")
	// ErrInvalidArgument is bad input caught before any quota was spent.
	ErrInvalidArgument = errors.New("easemob: invalid argument")
)

// Error is an error answer from the server, decoded from its documented
// body: {"error", "error_description", "exception", "timestamp", "duration"}.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int `json:"-"`
	// Code is the body's "error", e.g. "reach_limit" or "service_resource_not_found".
	Code string `json:"error"`
	// Description is the body's "error_description", meant for people.
	Description string `json:"error_description"`
	// Exception is the server's exception class, when it sends one.
	Exception string `json:"exception"`
	// Timestamp and Duration are the server's, in milliseconds.
	Timestamp Int64 `json:"timestamp"`
	Duration  Int64 `json:"duration"`
	// Op is the operation id (e.g. "users.Get") and Group its quota group.
	Op    string `json:"-"`
	Group string `json:"-"`
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
// or the 403 that the message quota answers.
func (e *Error) RateLimited() bool {
	if e.StatusCode == http.StatusTooManyRequests {
		return e.Code != "resource_limited"
	}
	return e.messageQuota()
}

func (e *Error) messageQuota() bool {
	return e.StatusCode == http.StatusForbidden && e.Description == "message send reach limit"
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
