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

// RetryPolicy bounds the resends of one call.
type RetryPolicy = core.RetryPolicy

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
)

// BatchError reports a batch call that did not succeed for every item; the
// call's result lists, item by item, what succeeded and what did not.
type BatchError = core.BatchError

// WaitError is a local refusal for quota: the wait it would have needed and
// the group; no quota was spent.
type WaitError = ratelimit.WaitError
