package core

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
)

// statusBatch runs users.GetStatusBatch-shaped chunks through send.
func statusBatch(send func(chunk []string) ([]Outcome[string], error)) *Batch[string, string] {
	return &Batch[string, string]{
		Op: catalog.UsersGetStatusBatch, Cap: "usernames", Field: "usernames", Key: FoldKey,
		Send: func(_ context.Context, chunk []string) ([]Outcome[string], *Request, error) {
			r := &Request{sent: true}
			out, err := send(chunk)
			return out, r, err
		},
	}
}

func names(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = string(rune('a'+i/26%26)) + string(rune('a'+i%26)) + string(rune('0'+i/676))
	}
	return out
}

// Every item is reported in input order; an item the answer leaves out is
// failed, not lost; the error counts input items.
func TestBatchReportsEveryItem(t *testing.T) {
	b := statusBatch(func(chunk []string) ([]Outcome[string], error) {
		out := make([]Outcome[string], len(chunk))
		for i, n := range chunk {
			out[i] = Accepted(n)
			if n == names(250)[120] {
				out[i] = Refused[string](Omitted)
			}
		}
		return out, nil
	})
	in := names(250)
	res, err := b.Run(context.Background(), nil, 4, in)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [4]int{249, 1, 0, 0}, [4]int{be.Done, be.Failed, be.Unknown, be.NotSent})
	require.Len(t, res.Items, 250)
	for i, it := range res.Items {
		assert.Equal(t, in[i], it.Input)
		if i == 120 {
			assert.Equal(t, batch.Failed, it.Status)
			assert.Equal(t, Omitted, it.Reason)
			continue
		}
		assert.Equal(t, batch.Done, it.Status)
		assert.Equal(t, in[i], it.Value)
	}
}

// A failure of the call itself stops the batch: chunks not yet sent are
// NotSent, the failed chunk's items carry its error.
func TestBatchStopsOnCallLevelFailure(t *testing.T) {
	var calls atomic.Int32
	planQuota := &Error{StatusCode: http.StatusTooManyRequests, Code: "resource_limited"}
	b := statusBatch(func(chunk []string) ([]Outcome[string], error) {
		if calls.Add(1) == 2 {
			return nil, planQuota
		}
		out := make([]Outcome[string], len(chunk))
		for i, n := range chunk {
			out[i] = Accepted(n)
		}
		return out, nil
	})
	res, err := b.Run(context.Background(), nil, 1, names(500))
	assert.ErrorIs(t, err, ErrPlanQuota)
	assert.Equal(t, int32(2), calls.Load(), "nothing sent after the plan quota")
	assert.Equal(t, 100, res.Count(batch.Done))
	assert.Equal(t, 100, res.Count(batch.Failed))
	assert.Equal(t, 300, res.Count(batch.NotSent))
	assert.Same(t, planQuota, res.Items[150].Err)
}

// A chunk whose request never reached the wire is NotSent; one sent without
// an answer is Unknown; one the server refused whole is Failed.
func TestBatchChunkOutcomes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		sent bool
		want batch.Status
	}{
		{errors.New("connection reset"), true, batch.Unknown},
		{&Error{StatusCode: 500}, true, batch.Failed},
		{errors.New("refused locally"), false, batch.NotSent},
	} {
		b := &Batch[string, string]{
			Op: catalog.UsersGetStatusBatch, Cap: "usernames", Field: "usernames",
			Send: func(context.Context, []string) ([]Outcome[string], *Request, error) {
				return nil, &Request{sent: tc.sent}, tc.err
			},
		}
		res, err := b.Run(context.Background(), nil, 1, names(3))
		require.Error(t, err)
		assert.Equal(t, 3, res.Count(tc.want), "%v", tc.err)
	}
}

// Input is checked whole before anything is sent: empty input, a bad item
// and a duplicate (case-folded) each refuse the batch, whose result still
// reports every item, not sent, with the refusal.
func TestBatchChecksInputFirst(t *testing.T) {
	var sent atomic.Int32
	b := statusBatch(func([]string) ([]Outcome[string], error) { sent.Add(1); return nil, nil })
	b.Check = func(s string) error {
		if s == "bad" {
			return errors.New("bad name")
		}
		return nil
	}
	for _, in := range [][]string{nil, {"a", "bad"}, {"Ab", "aB"}} {
		res, err := b.Run(context.Background(), nil, 1, in)
		assert.ErrorIs(t, err, ErrInvalidArgument, "%v", in)
		require.NotNil(t, res)
		assert.Len(t, res.NotDone(), len(in))
		assert.Equal(t, len(in), res.Count(batch.NotSent))
		for i, it := range res.Items {
			assert.Equal(t, in[i], it.Input)
			assert.ErrorIs(t, it.Err, ErrInvalidArgument)
		}
	}
	assert.Zero(t, sent.Load())
}

// Chunks go out concurrently: with a 50 ms round trip, 20 chunks at a
// concurrency of 10 take two round trips, not twenty.
func TestBatchChunksConcurrently(t *testing.T) {
	var inFlight, peak atomic.Int32
	b := statusBatch(func(chunk []string) ([]Outcome[string], error) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(50 * time.Millisecond)
		inFlight.Add(-1)
		out := make([]Outcome[string], len(chunk))
		for i, s := range chunk {
			out[i] = Accepted(s)
		}
		return out, nil
	})
	_, err := b.Run(context.Background(), nil, 10, names(2000))
	require.NoError(t, err)
	assert.Equal(t, int32(10), peak.Load(), "bounded by the concurrency, and reaching it")
}
