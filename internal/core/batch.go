package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// DefaultConcurrency is how many server calls a batch keeps in flight: at
// 100 calls/s and 50 ms a round trip, five are needed to be quota-bound.
const DefaultConcurrency = 16

// Batch describes a batch over a capped operation: the input is checked
// whole, split by the op's cap, sent chunk by chunk (concurrently,
// bounded), and reported item by item.
type Batch[In, Out any] struct {
	Op *catalog.Op
	// Cap names the op's count cap the items fill.
	Cap string
	// Field names the input in errors ("users", "usernames").
	Field string
	// Key is an item's identity; two items with one key are refused.
	Key func(In) string
	// Check validates one item before anything is sent.
	Check func(In) error
	// Send runs one chunk. It returns one outcome per item of the chunk, in
	// order, and the request it ran (to tell whether it reached the wire).
	Send func(ctx context.Context, chunk []In) ([]Outcome[Out], *Request, error)
}

// Outcome is what the server said of one item of a chunk that it answered.
type Outcome[Out any] struct {
	Done   bool
	Value  Out
	Reason string // why the server refused the item, when not Done
}

// Refused is the outcome of an item the server refused, or left out of its answer.
func Refused[Out any](reason string) Outcome[Out] { return Outcome[Out]{Reason: reason} }

// Accepted is the outcome of an item the server accepted.
func Accepted[Out any](v Out) Outcome[Out] { return Outcome[Out]{Done: true, Value: v} }

// Omitted is the reason given for an item the server's answer left out.
const Omitted = "not in the server's answer"

// Run checks items, sends them in chunks and reports each one. The error
// is a *batch.Error when any item is not done, or the validation error of
// the input: nothing is sent then, and every item is reported NotSent.
func (b *Batch[In, Out]) Run(ctx context.Context, c *Client, concurrency int, items []In) (*batch.Result[In, Out], error) {
	res := &batch.Result[In, Out]{Items: make([]batch.Item[In, Out], len(items))}
	for i, in := range items {
		res.Items[i].Input = in
	}
	if err := b.check(items); err != nil {
		for i := range res.Items {
			res.Items[i].Err = err
		}
		return res, err
	}
	size := chunkSize(b.Op, b.Cap)
	if size <= 0 {
		size = len(items)
	}
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		stopped error // the call-level failure that ends the batch
		callErr []error
		slots   = make(chan struct{}, concurrency)
	)
	for start := 0; start < len(items); start += size {
		slots <- struct{}{}
		mu.Lock()
		stop := stopped
		mu.Unlock()
		if stop != nil || ctx.Err() != nil {
			<-slots
			break // the rest stays NotSent
		}
		end := min(start+size, len(items))
		wg.Add(1)
		go func(part []batch.Item[In, Out]) {
			defer func() { <-slots; wg.Done() }()
			chunk := make([]In, len(part))
			for i := range part {
				chunk[i] = part[i].Input
			}
			outcomes, req, err := b.Send(ctx, chunk)
			if err == nil && len(outcomes) != len(part) {
				err = &DecodeError{Op: b.Op.ID, StatusCode: 200, Reason: fmt.Sprintf("%d outcomes for %d items", len(outcomes), len(part))}
			}
			if err != nil {
				mark(part, req != nil && req.Sent(), err)
				mu.Lock()
				callErr = append(callErr, err)
				if stopsBatch(err) && stopped == nil {
					stopped = err
				}
				mu.Unlock()
				return
			}
			for i, o := range outcomes {
				if o.Done {
					part[i].Status, part[i].Value = batch.Done, o.Value
				} else {
					part[i].Status, part[i].Reason = batch.Failed, o.Reason
				}
			}
		}(res.Items[start:end])
	}
	wg.Wait()
	if stopped == nil && ctx.Err() != nil {
		callErr = append(callErr, ctx.Err())
	}
	return res, batchError(b.Op.ID, res, callErr)
}

// chunkSize is how many items one call carries: the documented cap or,
// where the docs warn above a lower count (60 on one page, 100 on a newer
// one), that count, which every documented server accepts.
func chunkSize(op *catalog.Op, name string) int {
	if c := op.Cap(name); c != nil && c.WarnAbove > 0 {
		return c.WarnAbove
	}
	return op.MaxItems(name)
}

// check validates the whole input before anything is sent.
func (b *Batch[In, Out]) check(items []In) error {
	if len(items) == 0 {
		return Invalid(b.Op.ID, b.Field, "empty")
	}
	seen := make(map[string]int, len(items))
	for i, in := range items {
		if b.Check != nil {
			if err := b.Check(in); err != nil {
				var v *ValidationError
				if errors.As(err, &v) {
					v.Field = fmt.Sprintf("%s[%d].%s", b.Field, i, v.Field)
					return v
				}
				return Invalid(b.Op.ID, fmt.Sprintf("%s[%d]", b.Field, i), "%v", err)
			}
		}
		if b.Key == nil {
			continue
		}
		k := b.Key(in)
		if j, dup := seen[k]; dup {
			return Invalid(b.Op.ID, b.Field, "items %d and %d are both %q", j, i, k)
		}
		seen[k] = i
	}
	return nil
}

// mark records a failed chunk call on each of its items.
func mark[In, Out any](part []batch.Item[In, Out], sent bool, err error) {
	var apiErr *Error
	status := batch.Unknown // sent, and no answer says what happened
	switch {
	case !sent:
		status = batch.NotSent
	case errors.As(err, &apiErr):
		status = batch.Failed // the server answered: it refused the call
	}
	for i := range part {
		part[i].Status, part[i].Err = status, err
		if status == batch.Failed {
			part[i].Reason = apiErr.Description
		}
	}
}

// stopsBatch reports failures of the call itself, which every later chunk
// would meet too: a context that ended, a deadline quota cannot meet, the
// plan's quota, credentials, an unreachable quota store, a closed client.
func stopsBatch(err error) bool {
	var wait *ratelimit.WaitError
	for _, target := range []error{context.Canceled, context.DeadlineExceeded, ErrPlanQuota, ErrUnauthorized, ratelimit.ErrStoreUnavailable, ErrClosed, ErrInvalidArgument} {
		if errors.Is(err, target) {
			return true
		}
	}
	return errors.As(err, &wait)
}

func batchError[In, Out any](op string, res *batch.Result[In, Out], errs []error) error {
	e := &batch.Error{Op: op, Errs: errs}
	for _, it := range res.Items {
		switch it.Status {
		case batch.Done:
			e.Done++
		case batch.Failed:
			e.Failed++
		case batch.Unknown:
			e.Unknown++
		default:
			e.NotSent++
		}
	}
	if e.Done == len(res.Items) {
		return nil
	}
	return e
}

// FoldKey is the identity of a user ID: they are case-insensitive.
func FoldKey(name string) string { return strings.ToLower(name) }
