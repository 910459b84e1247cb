package ratelimit_test

import (
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
	assert.InDelta(t, 0.7, st.RateFactor, 1e-9)
	assert.Equal(t, 70, st.Effective[0].Count)
	assert.Equal(t, 100, st.Configured[0].Count)
	assert.Equal(t, []int{40}, st.AcceptedAtLastThrottle)
	assert.Equal(t, int64(2), st.Throttles)

	// The cut is in force: 30 more fit in the window (70 - 40), not 60.
	n := 0
	for l.Allow(ratelimit.Cost{}) {
		n++
	}
	assert.Equal(t, 30, n)

	clk.Advance(time.Second)
	l.Throttled() // a new period: cut again
	assert.InDelta(t, 0.49, l.Status().RateFactor, 1e-9)

	// Each quiet period raises the rate by 5% of the configured quota.
	clk.Advance(3 * time.Second)
	assert.InDelta(t, 0.64, l.Status().RateFactor, 1e-9)
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
