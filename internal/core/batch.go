package core

import "fmt"

// BatchError reports a batch call that did not succeed for every item. The
// call's result still lists what succeeded and what failed, item by item.
type BatchError struct {
	Op        string
	Succeeded int
	Failed    int
	// Errs are the errors of whole sub-calls that failed; items the server
	// refused one by one appear only in the result.
	Errs []error
}

func (e *BatchError) Error() string {
	msg := fmt.Sprintf("easemob: %s: %d of %d items failed", e.Op, e.Failed, e.Succeeded+e.Failed)
	if len(e.Errs) > 0 {
		msg += ": " + e.Errs[0].Error()
	}
	return msg
}

// Unwrap exposes the sub-call errors to errors.Is and errors.As.
func (e *BatchError) Unwrap() []error { return e.Errs }

// Chunks splits items into runs of at most n, for per-call caps. n <= 0
// (Op.MaxItems of an uncapped op) means no cap: one run.
func Chunks[T any](items []T, n int) [][]T {
	if n <= 0 {
		n = len(items) // n == 0 would otherwise append empty runs forever
	}
	var out [][]T
	for len(items) > n {
		out = append(out, items[:n:n])
		items = items[n:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}
