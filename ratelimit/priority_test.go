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

	d, err := l.Delay(ratelimit.Cost{})
	require.NoError(t, err)
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
