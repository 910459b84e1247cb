package ratelimit_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

func TestPriorityFromContext(t *testing.T) {
	ctx := context.Background()
	assert.Equal(t, ratelimit.Interactive, ratelimit.PriorityOf(ctx))
	assert.Equal(t, ratelimit.Bulk, ratelimit.PriorityOf(ratelimit.WithPriority(ctx, ratelimit.Bulk)))
	assert.Equal(t, "bulk", ratelimit.Bulk.String())
}

// Nothing is booked ahead: with many bulk callers queued, an interactive
// call takes the very next slot.
func TestInteractiveDoesNotQueueBehindBulk(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	l := quietRegistry(clk, ratelimit.Limit{Count: 2, Window: time.Second})
	require.True(t, l.Allow(ratelimit.Cost{}))
	require.True(t, l.Allow(ratelimit.Cost{}))

	bulk := ratelimit.WithPriority(context.Background(), ratelimit.Bulk)
	var done []<-chan error
	for range 5 {
		done = append(done, waitAsync(bulk, l, ratelimit.Cost{}))
	}
	waitParked(t, clk, l, 5)
	assert.Equal(t, 1, clk.Waiters(), "only the head of the queue watches the clock")

	d := delay(t, l, ratelimit.Cost{})
	assert.Equal(t, time.Second, d, "an interactive call does not queue behind bulk calls")
	assert.False(t, l.Allow(ratelimit.Cost{}))

	inter := waitAsync(context.Background(), l, ratelimit.Cost{})
	waitParked(t, clk, l, 6)
	assert.Equal(t, 1, clk.Waiters(), "the interactive call took the bulk head's watch")
	clk.Advance(time.Second)
	require.NoError(t, result(t, inter), "interactive got the first free slot")

	// The bulk queue drains two per second, in turn, one sleeper at a time.
	admitted := 0
	end := time.Now().Add(guard)
	for admitted < len(done) && time.Now().Before(end) {
		for _, ch := range done {
			select {
			case err := <-ch:
				require.NoError(t, err)
				admitted++
			default:
			}
		}
		if admitted < len(done) && parked(clk, l) == len(done)-admitted {
			require.Equal(t, 1, clk.Waiters(), "never more than one sleeper")
			clk.Advance(time.Second)
		}
		runtime.Gosched()
	}
	assert.Equal(t, len(done), admitted)
}

func TestBulkRefusesPastDeadline(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Now())
	l := quietRegistry(clk, ratelimit.Limit{Count: 1, Window: time.Minute})
	require.True(t, l.Allow(ratelimit.Cost{}))
	ctx, cancel := context.WithTimeout(ratelimit.WithPriority(context.Background(), ratelimit.Bulk), time.Second)
	defer cancel()
	err := l.Wait(ctx, ratelimit.Cost{})
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

// bulkFill lets bulk calls through for d, moving the clock 10 ms at a time
// and taking all the quota each step allows, and counts them.
func bulkFill(t *testing.T, l *ratelimit.Limiter, clk *ratelimit.ManualClock, d time.Duration) int {
	t.Helper()
	bulk := ratelimit.WithPriority(context.Background(), ratelimit.Bulk)
	n := 0
	for end := clk.Now().Add(d); clk.Now().Before(end); clk.Advance(10 * time.Millisecond) {
		for {
			// A deadline at the clock's now: refused at once if it must wait.
			ctx, cancel := context.WithDeadline(bulk, clk.Now())
			err := l.Wait(ctx, ratelimit.Cost{})
			cancel()
			if err != nil {
				require.ErrorIs(t, err, ratelimit.ErrRateLimited)
				break
			}
			n++
		}
	}
	return n
}

// While interactive calls come, a bulk job leaves 1/50 of a paced window
// free, so the next interactive call finds quota at once; once they stop
// for a window, the job takes everything again.
func TestBulkLeavesHeadroomForInteractiveCalls(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 100, Window: time.Second}}, ratelimit.WithMargin(0))
	require.True(t, l.Allow(one)) // an interactive call
	assert.Equal(t, 97, bulkFill(t, l, clk, 990*time.Millisecond), "100 less the interactive call, less 2 of headroom")
	// With a bulk call queued, interactive calls skip the pacing the job's
	// stream fills: both headroom units go at once, and the log still caps.
	bulk := waitAsync(ratelimit.WithPriority(context.Background(), ratelimit.Bulk), l, one)
	waitParked(t, clk, l, 1)
	assert.True(t, l.Allow(one), "the interactive call finds the headroom")
	assert.True(t, l.Allow(one), "and so does the next, in the same instant")
	assert.False(t, l.Allow(one), "the window is full")
	clk.Advance(time.Second)
	require.NoError(t, result(t, bulk))

	clk.Advance(2 * time.Second) // a window and more without interactive calls
	assert.Equal(t, 100, bulkFill(t, l, clk, 990*time.Millisecond), "no headroom kept")
	assert.False(t, l.Allow(one))
}

// Beside a bulk job whose stream fills the pacing, an interactive call
// skips the pacing (the log still holds): it goes at once.
func TestInteractiveSkipsPacingBesideBulkJob(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 100, Window: time.Second}}, ratelimit.WithMargin(0))
	bulk := ratelimit.WithPriority(context.Background(), ratelimit.Bulk)
	var done []<-chan error
	for range 30 {
		done = append(done, waitAsync(bulk, l, one))
	}
	// The burst goes at once, then one call per 10 ms; wait until the queue
	// has settled behind it.
	end := time.Now().Add(guard)
	for {
		finished := 0
		for _, ch := range done {
			if len(ch) > 0 {
				finished++
			}
		}
		if finished > 0 && parked(clk, l) == len(done)-finished {
			break
		}
		require.True(t, time.Now().Before(end), "bulk queue never settled")
		runtime.Gosched()
	}
	assert.True(t, l.Allow(one), "an interactive call goes at once beside the bulk stream")
	assert.True(t, l.Allow(one), "and the next one too: the log has room, the pacing is the job's")
}
