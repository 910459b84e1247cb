package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrRateLimited matches every refusal for lack of quota: a local refusal
// (*WaitError) and, through the SDK's error type, a server 429 reach_limit.
var ErrRateLimited = errors.New("easemob: rate limited")

// ErrCostTooHigh means one call costs more than a limit allows in a whole
// window: it can never be sent and must be split.
var ErrCostTooHigh = errors.New("easemob: call costs more than the quota allows per window")

// ErrUnknownGroup means the registry has no quota for a group.
var ErrUnknownGroup = errors.New("ratelimit: registry has no group")

// WaitError is a local refusal: the call would have had to wait Wait for
// quota, and the context's deadline (or a non-blocking try) did not allow it.
// No quota was spent. It matches ErrRateLimited, and context.DeadlineExceeded
// when a deadline was the reason.
type WaitError struct {
	Group    string
	Wait     time.Duration
	deadline bool
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("easemob: rate limited: group %s needs a wait of %s", e.Group, e.Wait)
}

// Is reports a match with ErrRateLimited and, for a deadline refusal,
// context.DeadlineExceeded.
func (e *WaitError) Is(target error) bool {
	return target == ErrRateLimited || (e.deadline && target == context.DeadlineExceeded)
}
