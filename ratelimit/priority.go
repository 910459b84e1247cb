package ratelimit

import "context"

// Priority is the lane a call waits in. Both lanes share one budget and one
// queue, in which every interactive call stands ahead of every bulk call.
type Priority uint8

const (
	// Interactive calls wait in arrival order behind other interactive
	// calls only. It is the default.
	Interactive Priority = iota
	// Bulk calls wait behind every interactive call. While interactive
	// calls come, bulk calls also leave 1/50 of each paced App Key window
	// free, and interactive calls skip the pacing the bulk stream fills, so
	// an interactive call arriving beside a bulk job goes at once; past the
	// headroom it takes the next free slot, as nothing is booked ahead.
	Bulk
)

// String returns "interactive" or "bulk".
func (p Priority) String() string {
	if p == Bulk {
		return "bulk"
	}
	return "interactive"
}

type priorityKey struct{}

// WithPriority returns a context whose calls wait in lane p.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

// PriorityOf returns the lane of ctx's calls (Interactive unless set).
func PriorityOf(ctx context.Context) Priority {
	p, _ := ctx.Value(priorityKey{}).(Priority)
	return p
}
