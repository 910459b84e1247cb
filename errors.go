package easemob

import (
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/ratelimit"
)

// Error is an error answer from the Easemob server; use errors.As to read
// its status, code and description.
type Error = core.Error

// ValidationError is input the SDK refused before spending any quota.
type ValidationError = core.ValidationError

// DecodeError is a success answer that lacks what the operation documents.
type DecodeError = core.DecodeError

// Sentinels for errors.Is.
var (
	// ErrRateLimited matches a local refusal for quota (*ratelimit.WaitError)
	// and a server refusal for rate (429 reach_limit, 403 message quota).
	ErrRateLimited = ratelimit.ErrRateLimited
	// ErrCostTooHigh means a single call exceeds a whole window's quota.
	ErrCostTooHigh = ratelimit.ErrCostTooHigh
	// ErrPlanQuota is a 429 resource_limited: the plan's quota is used up; never retried.
	ErrPlanQuota = core.ErrPlanQuota
	// ErrUnauthorized is a 401 that survived one token refresh.
	ErrUnauthorized = core.ErrUnauthorized
	// ErrNotFound is a 404.
	ErrNotFound = core.ErrNotFound
	// ErrForbidden is a 403 other than the message quota.
	ErrForbidden = core.ErrForbidden
	// ErrInvalidArgument is bad input, refused before any quota was spent.
	ErrInvalidArgument = core.ErrInvalidArgument
	// ErrUnexpectedResponse is a success answer without what the operation documents.
	ErrUnexpectedResponse = core.ErrUnexpectedResponse
)

// ErrUnknownGroup is a quota group name the SDK does not know.
var ErrUnknownGroup = ratelimit.ErrUnknownGroup

// ErrClosed is returned by calls on a closed Client.
var ErrClosed = core.ErrClosed

// WaitError is a local refusal for quota: the wait it would have needed and
// the group; no quota was spent.
type WaitError = ratelimit.WaitError
