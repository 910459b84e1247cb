package ratelimit_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

func quietRegistry(clk ratelimit.Clock, limits ...ratelimit.Limit) *ratelimit.Limiter {
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}},
		ratelimit.WithClock(clk), ratelimit.WithMargin(0), ratelimit.WithPacing(0),
		ratelimit.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return reg.App("app").At(0)
}

func TestThrottledCutsOncePerPeriodAndRecovers(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	l := quietRegistry(clk, ratelimit.Limit{Count: 100, Window: time.Second})
	for range 40 {
		require.True(t, l.Allow(ratelimit.Cost{}))
	}

	l.Throttled()
	l.Throttled() // same burst of refusals: no second cut
	st := l.Status()
	assert.InDelta(t, 0.9, st.RateFactor, 1e-9)
	assert.Equal(t, 90, st.Effective[0].Count)
	assert.Equal(t, 100, st.Configured[0].Count)
	assert.Equal(t, []int{40}, st.AcceptedAtLastThrottle)
	assert.Equal(t, int64(2), st.Throttles)

	// The cut is in force: 50 more fit in the window (90 - 40), not 60.
	n := 0
	for l.Allow(ratelimit.Cost{}) {
		n++
	}
	assert.Equal(t, 50, n)

	clk.Advance(time.Second)
	l.Throttled() // a new period: cut again
	assert.InDelta(t, 0.81, l.Status().RateFactor, 1e-9)

	// Each quiet period raises the rate by 5% of the configured quota.
	clk.Advance(3 * time.Second)
	assert.InDelta(t, 0.96, l.Status().RateFactor, 1e-9)
	clk.Advance(time.Minute)
	st = l.Status()
	assert.Equal(t, 1.0, st.RateFactor)
	assert.Equal(t, 100, st.Effective[0].Count)
}

func TestThrottledNeverStopsAGroup(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	l := quietRegistry(clk, ratelimit.Limit{Count: 3, Window: time.Second})
	for range 50 {
		l.Throttled()
		clk.Advance(time.Second)
	}
	st := l.Status()
	assert.Equal(t, 1, st.Effective[0].Count, "floor of one unit per window")
	assert.Greater(t, st.RateFactor, 0.0)
}

// A refusal cuts the App Key sides only: it does not say which user was over.
func TestThrottledKeepsPerUserSides(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	l := quietRegistry(clk,
		ratelimit.Limit{Count: 100, Window: time.Second},
		ratelimit.Limit{Count: 5, Window: time.Minute, Per: "username"})
	l.Throttled()
	st := l.Status()
	assert.Equal(t, 90, st.Effective[0].Count)
	assert.Equal(t, 5, st.Effective[1].Count)
}

// What the server accepted counts the calls already sent, not those still
// waiting.
func TestAcceptedCountsOnlyWhatWasSent(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Now())
	l := quietRegistry(clk, ratelimit.Limit{Count: 2, Window: time.Second})
	require.True(t, l.Allow(ratelimit.Cost{}))
	require.True(t, l.Allow(ratelimit.Cost{}))
	ch := waitAsync(context.Background(), l, ratelimit.Cost{}) // queued for a second
	waitParked(t, clk, l, 1)
	l.Throttled()
	assert.Equal(t, []int{2}, l.Status().AcceptedAtLastThrottle)
	waitParked(t, clk, l, 1) // the cut woke it to look again; let it park
	clk.Advance(2 * time.Second)
	require.NoError(t, result(t, ch))
}
