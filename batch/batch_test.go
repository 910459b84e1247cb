package batch_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/batch"
)

func TestResultCounts(t *testing.T) {
	r := &batch.Result[string, int]{Items: []batch.Item[string, int]{
		{Input: "a", Status: batch.Done, Value: 1},
		{Input: "b", Status: batch.Failed, Reason: "user not found"},
		{Input: "c", Status: batch.Unknown},
		{Input: "d", Status: batch.Done, Value: 4},
		{Input: "e"},
	}}
	assert.Equal(t, 2, r.Count(batch.Done))
	assert.Equal(t, 1, r.Count(batch.NotSent), "the zero Status is NotSent")
	assert.Equal(t, []int{1, 4}, r.Done())
	var inputs []string
	for _, it := range r.NotDone() {
		inputs = append(inputs, it.Input)
	}
	assert.Equal(t, []string{"b", "c", "e"}, inputs, "in input order")
	assert.Equal(t, []string{"not sent", "done", "failed", "unknown"},
		[]string{batch.NotSent.String(), batch.Done.String(), batch.Failed.String(), batch.Unknown.String()})
}

func TestErrorMessageAndUnwrap(t *testing.T) {
	cause := errors.New("easemob: users.RegisterBatch: 503 server_error")
	e := &batch.Error{Op: "users.RegisterBatch", Done: 2, Failed: 1, Unknown: 1, NotSent: 3, Errs: []error{cause}}
	assert.Equal(t, "easemob: users.RegisterBatch: 2 of 7 items done, 1 failed, 1 of unknown outcome, 3 not sent: "+cause.Error(), e.Error())
	assert.ErrorIs(t, e, cause, "the call errors are reachable with errors.Is")
	assert.Equal(t, "easemob: x: 0 of 1 items done, 1 failed", (&batch.Error{Op: "x", Failed: 1}).Error())
}

// A nil result (a method that refused its input before building one)
// reads as empty instead of panicking.
func TestNilResultIsEmpty(t *testing.T) {
	var r *batch.Result[string, int]
	assert.Zero(t, r.Count(batch.NotSent))
	assert.Empty(t, r.Done())
	assert.Empty(t, r.NotDone())
}
