package ratelimit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

const margin = ratelimit.DefaultMargin

var one = ratelimit.Cost{}

func TestBasicBurstThenWait(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 3, Window: time.Second}})
	ctx := context.Background()

	for i := range 3 {
		require.NoError(t, atOnce(t, func() error { return l.Wait(ctx, one) }), "call %d", i+1)
	}
	require.Zero(t, clk.Waiters(), "the burst must not park anyone")

	d := delay(t, l, one)
	require.Equal(t, time.Second+margin, d)

	ch := waitAsync(ctx, l, one)
	waitParked(t, clk, l, 1)
	clk.Advance(d - time.Nanosecond)
	pending(t, ch)
	clk.Advance(time.Nanosecond)
	require.NoError(t, result(t, ch))

	// The 4th took the first slot of the new window; two remain there.
	assert.True(t, l.Allow(one))
	assert.True(t, l.Allow(one))
	assert.False(t, l.Allow(one))
}

func TestDeadlineShorterThanWaitIsRefusedAtOnce(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 3, Window: time.Second}})
	for range 3 {
		require.True(t, l.Allow(one))
	}
	need := delay(t, l, one)
	require.Equal(t, time.Second+margin, need)

	ctx, cancel := context.WithDeadline(context.Background(), clk.Now().Add(need-time.Nanosecond))
	defer cancel()
	err := atOnce(t, func() error { return l.Wait(ctx, one) })

	var we *ratelimit.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, need, we.Wait)
	assert.Equal(t, "g", we.Group)
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, context.Canceled)
	assert.Zero(t, clk.Waiters())

	// Nothing was spent: the same slot is still the next one.
	after := delay(t, l, one)
	assert.Equal(t, need, after)

	// A deadline exactly at the slot is enough, and that call gets the slot.
	ctx2, cancel2 := context.WithDeadline(context.Background(), clk.Now().Add(need))
	defer cancel2()
	ch := waitAsync(ctx2, l, one)
	waitParked(t, clk, l, 1)
	clk.Advance(need - time.Nanosecond)
	pending(t, ch)
	clk.Advance(time.Nanosecond)
	require.NoError(t, result(t, ch))
}

func TestAllowOnFullLimiterSpendsNothing(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 3, Window: time.Second}})
	for range 3 {
		require.True(t, l.Allow(one))
	}
	before := delay(t, l, one)
	for range 100 {
		require.False(t, l.Allow(one))
	}
	after := delay(t, l, one)
	require.Equal(t, before, after)

	// A full window later exactly three fit again, as if no refusal happened.
	clk.Advance(before)
	for range 3 {
		assert.True(t, l.Allow(one))
	}
	assert.False(t, l.Allow(one))
}

func TestCallsAndMessagesSidesDecideTogether(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{
		{Count: 100, Window: time.Second, Unit: ratelimit.Calls},
		{Count: 10, Window: time.Minute, Unit: ratelimit.Messages},
	})
	require.True(t, l.Allow(ratelimit.Cost{Messages: 8}))

	five := ratelimit.Cost{Messages: 5}
	d := delay(t, l, five)
	require.Equal(t, time.Minute+margin, d, "the minute window decides")

	// 99 refusals: had any of them charged the calls side, with the first
	// call it would be full and the two calls below could not both pass.
	for range 99 {
		require.False(t, l.Allow(five))
	}
	ctx, cancel := context.WithDeadline(context.Background(), clk.Now().Add(time.Second))
	defer cancel()
	require.ErrorIs(t, l.Wait(ctx, five), ratelimit.ErrRateLimited)

	assert.True(t, l.Allow(ratelimit.Cost{Messages: 1}))
	assert.True(t, l.Allow(ratelimit.Cost{Messages: 1}))
	// Messages side now holds 10 of 10.
	assert.False(t, l.Allow(ratelimit.Cost{Messages: 1}))
	d = delay(t, l, ratelimit.Cost{Messages: 1})
	assert.Equal(t, time.Minute+margin, d)
}

func TestCallsSideBindsTooWhenItIsTheTightOne(t *testing.T) {
	l, _ := newLimiter(t, []ratelimit.Limit{
		{Count: 2, Window: time.Second, Unit: ratelimit.Calls},
		{Count: 10, Window: time.Minute, Unit: ratelimit.Messages},
	})
	require.True(t, l.Allow(ratelimit.Cost{Messages: 1}))
	require.True(t, l.Allow(ratelimit.Cost{Messages: 1}))
	d := delay(t, l, ratelimit.Cost{Messages: 1})
	assert.Equal(t, time.Second+margin, d)
}

func perUserGroup(appKeyCalls int) []ratelimit.Limit {
	return []ratelimit.Limit{
		{Count: 5, Window: time.Minute, Per: "username", Unit: ratelimit.Calls},
		{Count: appKeyCalls, Window: time.Second, Unit: ratelimit.Calls},
	}
}

func TestPerScopeAndAppKeySides(t *testing.T) {
	l, clk := newLimiter(t, perUserGroup(100))
	alice := ratelimit.Cost{Scope: "alice"}
	bob := ratelimit.Cost{Scope: "bob"}
	for range 5 {
		require.True(t, l.Allow(alice))
	}
	d := delay(t, l, alice)
	require.Equal(t, time.Minute+margin, d)

	// Alice's 6th call parks for her own minute window...
	ch := waitAsync(context.Background(), l, alice)
	waitParked(t, clk, l, 1)

	// ...and Bob, whose budget is untouched, must not queue behind her.
	d = delay(t, l, bob)
	assert.Zero(t, d)
	assert.True(t, l.Allow(bob), "bob's first call must not wait for alice")

	clk.Advance(time.Minute + margin)
	require.NoError(t, result(t, ch))
}

func TestAppKeySideCountsEveryScope(t *testing.T) {
	l, _ := newLimiter(t, perUserGroup(6))
	for range 5 {
		require.True(t, l.Allow(ratelimit.Cost{Scope: "alice"}))
	}
	require.True(t, l.Allow(ratelimit.Cost{Scope: "bob"}))
	d := delay(t, l, ratelimit.Cost{Scope: "carol"})
	assert.Equal(t, time.Second+margin, d, "6 calls/s per App Key is spent")
}

// A call held back by its scope takes the App Key sides only when it goes:
// if they filled up meanwhile, it waits for them and is not sent early.
func TestScopeWaiterYieldsToFullAppKeySide(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{
		{Count: 1, Window: time.Minute, Per: "username"},
		{Count: 2, Window: time.Second},
	})
	alice := ratelimit.Cost{Scope: "alice"}
	require.True(t, l.Allow(alice))
	ch := waitAsync(context.Background(), l, alice)
	waitParked(t, clk, l, 1)

	slot := time.Minute + margin
	clk.Advance(slot - 500*time.Millisecond)
	require.True(t, l.Allow(ratelimit.Cost{Scope: "bob"}))
	require.True(t, l.Allow(ratelimit.Cost{Scope: "carol"}))

	clk.Advance(500 * time.Millisecond)
	waitParked(t, clk, l, 1) // alice found the App Key side full and parked again
	pending(t, ch)
	// Bob and Carol's calls leave the App Key window 1s+margin after them.
	clk.Advance(time.Second + margin - 500*time.Millisecond - time.Nanosecond)
	pending(t, ch)
	clk.Advance(time.Nanosecond)
	require.NoError(t, result(t, ch))
	// Alice's call now holds one of the two App Key slots.
	assert.True(t, l.Allow(ratelimit.Cost{Scope: "dave"}))
	assert.False(t, l.Allow(ratelimit.Cost{Scope: "erin"}))
}

func TestCancelWhileQueuedSpendsNothing(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	slot := time.Second + margin
	require.True(t, l.Allow(one))

	ctx, cancel := context.WithCancel(context.Background())
	ch := waitAsync(ctx, l, one)
	waitParked(t, clk, l, 1)
	d := delay(t, l, one)
	require.Equal(t, 2*slot, d, "the queued call has the first slot")

	cancel()
	err := result(t, ch)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ctx.Err(), err)
	assert.Zero(t, clk.Waiters(), "its timer is stopped")

	d = delay(t, l, one)
	assert.Equal(t, slot, d, "the freed slot is the next one")

	ch = waitAsync(context.Background(), l, one)
	waitParked(t, clk, l, 1)
	clk.Advance(slot)
	require.NoError(t, result(t, ch))
	assert.False(t, l.Allow(one))
}

func TestCancelGivesBackEverySide(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{
		{Count: 2, Window: time.Second, Unit: ratelimit.Calls},
		{Count: 4, Window: time.Second, Unit: ratelimit.Messages},
		{Count: 3, Window: time.Second, Unit: ratelimit.Messages, Per: "username"},
	})
	slot := time.Second + margin
	alice := func(n int) ratelimit.Cost { return ratelimit.Cost{Messages: n, Scope: "alice"} }
	require.True(t, l.Allow(alice(3)))

	ctx, cancel := context.WithCancel(context.Background())
	ch := waitAsync(ctx, l, alice(3))
	waitParked(t, clk, l, 1)
	cancel()
	require.ErrorIs(t, result(t, ch), context.Canceled)

	clk.Advance(slot)
	// With the cancelled call's cost back on all three sides, the new
	// window takes exactly what it would have taken without it.
	require.True(t, l.Allow(alice(3)))
	require.True(t, l.Allow(ratelimit.Cost{Messages: 1, Scope: "bob"}))
	assert.False(t, l.Allow(ratelimit.Cost{Messages: 1, Scope: "carol"}), "calls side: 2 of 2")
}

func TestCostTooHigh(t *testing.T) {
	for _, lim := range []ratelimit.Limit{
		{Count: 6, Window: time.Minute, Unit: ratelimit.Messages},
		{Count: 6, Window: time.Minute, Unit: ratelimit.Messages, Per: "username"},
	} {
		t.Run(lim.String(), func(t *testing.T) {
			l, clk := newLimiter(t, []ratelimit.Limit{{Count: 100, Window: time.Second}, lim})
			seven := ratelimit.Cost{Messages: 7, Scope: "alice"}
			clk.Advance(time.Hour) // so that a bogus "slot - now" would show

			err := atOnce(t, func() error { return l.Wait(context.Background(), seven) })
			require.ErrorIs(t, err, ratelimit.ErrCostTooHigh)
			assert.NotErrorIs(t, err, ratelimit.ErrRateLimited, "no wait would help")
			assert.Zero(t, clk.Waiters())
			assert.False(t, l.Allow(seven))
			d, err := l.Delay(seven)
			require.ErrorIs(t, err, ratelimit.ErrCostTooHigh)
			assert.Zero(t, d)

			// Nothing was spent: a full-window call still fits.
			assert.True(t, l.Allow(ratelimit.Cost{Messages: 6, Scope: "alice"}))
		})
	}
}

func TestWaitErrorMatching(t *testing.T) {
	err := error(&ratelimit.WaitError{Group: "g", Wait: time.Second})
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.False(t, errors.Is(err, context.DeadlineExceeded), "not a deadline refusal")
	assert.Contains(t, err.Error(), "1s")
}

// A paced 100/s limit lets out 10 at once, then one per window/count, and a
// backlog still gets the whole quota.
func TestPacingSmoothsShortWindows(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{{Count: 100, Window: time.Second}}}},
		ratelimit.WithClock(clk), ratelimit.WithMargin(0))
	l := reg.App("app").Limiter("g")
	for i := range 10 {
		require.True(t, l.Allow(ratelimit.Cost{}), "burst call %d", i)
	}
	require.False(t, l.Allow(ratelimit.Cost{}))
	d := delay(t, l, ratelimit.Cost{})
	assert.Equal(t, 10*time.Millisecond, d, "the 11th unit waits one interval")

	admitted := 10
	for range 20_000 { // 20 s in 1 ms steps
		clk.Advance(time.Millisecond)
		for l.Allow(ratelimit.Cost{}) {
			admitted++
		}
	}
	assert.GreaterOrEqual(t, admitted, 2000, "a paced backlog still fills every window")
	assert.LessOrEqual(t, admitted, 2010)
}

// Windows longer than 10 s are not paced: a per-minute quota goes at once.
func TestLongWindowsKeepTheirBurst(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{{Count: 6000, Window: time.Minute, Unit: ratelimit.Messages}}}},
		ratelimit.WithClock(clk))
	l := reg.App("app").Limiter("g")
	for range 10 {
		require.True(t, l.Allow(ratelimit.Cost{Messages: 600}))
	}
	assert.False(t, l.Allow(ratelimit.Cost{Messages: 1}))
}

// A call from Acquire holds its quota while in flight, however long, and
// then for one window after its answer (plus 1 ms), not one window plus
// the margin after its grant.
func TestAcquireCountsFromTheAnswer(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	g, err := l.Acquire(context.Background(), one)
	require.NoError(t, err)

	clk.Advance(3 * time.Second)
	assert.False(t, l.Allow(one), "still in flight: the server may not have counted it yet")
	d := delay(t, l, one)
	assert.Equal(t, time.Second+time.Millisecond, d, "a forecast counts it as answered now")

	g.Answered()
	g.Answered() // a second report changes nothing
	clk.Advance(time.Second)
	assert.False(t, l.Allow(one))
	clk.Advance(time.Millisecond)
	g2, err := l.Acquire(context.Background(), one)
	require.NoError(t, err, "one window and 1 ms after the answer")

	// A quick answer lets the next call go long before window + margin.
	clk.Advance(5 * time.Millisecond)
	g2.Answered()
	d = delay(t, l, one)
	assert.Equal(t, time.Second+time.Millisecond, d)
	assert.Less(t, d+5*time.Millisecond, time.Second+margin)
}

// A call that failed without an answer may still reach the server: it
// counts for one window plus the margin after the failure.
func TestUnansweredCountsWithTheMargin(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	g, err := l.Acquire(context.Background(), one)
	require.NoError(t, err)
	clk.Advance(100 * time.Millisecond)
	g.Unanswered()
	d := delay(t, l, one)
	assert.Equal(t, time.Second+margin, d)
}

// A waiter held back by a call in flight waits for its answer, then one
// window more.
func TestQueuedCallWaitsForTheAnswerInFlight(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	g, err := l.Acquire(context.Background(), one)
	require.NoError(t, err)
	ch := waitAsync(context.Background(), l, one)
	waitParked(t, clk, l, 1)
	clk.Advance(time.Second + time.Millisecond) // its first look assumed an answer at 0
	waitParked(t, clk, l, 1)
	pending(t, ch)

	clk.Advance(500 * time.Millisecond)
	g.Answered() // at 1.501 s
	clk.Advance(500 * time.Millisecond)
	waitParked(t, clk, l, 1)
	pending(t, ch)
	clk.Advance(501 * time.Millisecond) // 2.502 s: answer + 1 s + 1 ms
	require.NoError(t, result(t, ch))
}

// A caller that has already given up spends nothing, even with quota free.
func TestCancelledContextSpendsNothing(t *testing.T) {
	l, _ := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, l.Wait(ctx, one), context.Canceled)
	_, err := l.Acquire(ctx, one)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, l.Allow(one), "the quota is still there")
}

// A caller giving up from the middle of the queue leaves the others their
// order and the queue its forecast.
func TestGivingUpMidQueue(t *testing.T) {
	l, clk := newLimiter(t, []ratelimit.Limit{{Count: 1, Window: time.Second}})
	slot := time.Second + margin
	require.True(t, l.Allow(one))
	first := waitAsync(context.Background(), l, one)
	waitParked(t, clk, l, 1)
	ctx, cancel := context.WithCancel(context.Background())
	middle := waitAsync(ctx, l, one)
	waitParked(t, clk, l, 2)
	last := waitAsync(context.Background(), l, one)
	waitParked(t, clk, l, 3)
	d := delay(t, l, one)
	assert.Equal(t, 4*slot, d, "behind three queued calls")

	cancel()
	require.ErrorIs(t, result(t, middle), context.Canceled)
	waitParked(t, clk, l, 2)
	d = delay(t, l, one)
	assert.Equal(t, 3*slot, d, "behind two")

	clk.Advance(slot)
	require.NoError(t, result(t, first))
	pending(t, last)
	waitParked(t, clk, l, 1)
	clk.Advance(slot)
	require.NoError(t, result(t, last))
}
