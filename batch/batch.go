// Package batch holds the results of batch methods: one Item per input
// item, in input order, each done, failed with its reason, of unknown
// outcome, or not sent. Nothing a batch was given goes unreported.
package batch

import (
	"fmt"
	"strings"
)

// Status is what became of one input item.
type Status uint8

// Item outcomes.
const (
	// NotSent: no request carrying the item reached the wire (the batch
	// stopped on a failure of the whole call, or the context ended).
	NotSent Status = iota
	// Done: the server accepted the item.
	Done
	// Failed: the server refused the item, or its call failed, or its answer
	// left the item out; Reason says which.
	Failed
	// Unknown: the request was sent but no answer came (a dropped
	// connection, a timeout): the server may or may not have acted.
	Unknown
)

func (s Status) String() string {
	switch s {
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Unknown:
		return "unknown"
	}
	return "not sent"
}

// Item is the outcome of one input item.
type Item[In, Out any] struct {
	Input  In
	Status Status
	// Value is the server's answer for the item, when Done.
	Value Out
	// Reason is the server's reason for refusing the item, or a description
	// of why it failed.
	Reason string
	// Err is the error of the server call that carried the item, when that
	// call failed as a whole (nil when the server refused the item alone).
	Err error
}

// Result lists every input item's outcome in input order. Its methods
// take a nil *Result as empty.
type Result[In, Out any] struct {
	Items []Item[In, Out]
}

// Count returns how many items have status s.
func (r *Result[In, Out]) Count(s Status) int {
	n := 0
	if r == nil {
		return 0
	}
	for i := range r.Items {
		if r.Items[i].Status == s {
			n++
		}
	}
	return n
}

// Done returns the values of the items the server accepted, in input order.
func (r *Result[In, Out]) Done() []Out {
	var out []Out
	if r == nil {
		return nil
	}
	for i := range r.Items {
		if r.Items[i].Status == Done {
			out = append(out, r.Items[i].Value)
		}
	}
	return out
}

// NotDone returns the items that are not Done, in input order.
func (r *Result[In, Out]) NotDone() []Item[In, Out] {
	var out []Item[In, Out]
	if r == nil {
		return nil
	}
	for _, it := range r.Items {
		if it.Status != Done {
			out = append(out, it)
		}
	}
	return out
}

// Error reports a batch in which some items are not done. Counts are in
// input items.
type Error struct {
	Op                             string
	Done, Failed, Unknown, NotSent int
	// Errs are the errors of the server calls that failed as a whole, and
	// the error that stopped the batch; items the server refused one by one
	// are only in the result.
	Errs []error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "easemob: %s: %d of %d items done", e.Op, e.Done, e.Done+e.Failed+e.Unknown+e.NotSent)
	for _, part := range []struct {
		n    int
		what string
	}{{e.Failed, "failed"}, {e.Unknown, "of unknown outcome"}, {e.NotSent, "not sent"}} {
		if part.n > 0 {
			fmt.Fprintf(&b, ", %d %s", part.n, part.what)
		}
	}
	if len(e.Errs) > 0 {
		b.WriteString(": ")
		b.WriteString(e.Errs[0].Error())
	}
	return b.String()
}

// Unwrap exposes the call errors to errors.Is and errors.As.
func (e *Error) Unwrap() []error { return e.Errs }
