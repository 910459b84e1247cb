package ratelimit_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

func perUserMinute() []ratelimit.Limit {
	return []ratelimit.Limit{{Count: 1, Window: time.Minute, Per: "username"}}
}

// stream sends one call for each of n new scope values, gap apart, and
// returns the largest ScopeCount seen.
func stream(t *testing.T, l *ratelimit.Limiter, clk *ratelimit.ManualClock, prefix string, n int, gap time.Duration) int {
	t.Helper()
	peak := 0
	for i := range n {
		require.True(t, l.Allow(ratelimit.Cost{Scope: prefix + strconv.Itoa(i)}))
		peak = max(peak, l.ScopeCount())
		clk.Advance(gap)
	}
	return peak
}

func TestScopeStateFollowsActiveSet(t *testing.T) {
	const (
		n   = 100_000
		gap = 10 * time.Millisecond
	)
	// At most this many values were seen within one window plus margin.
	active := int((time.Minute+margin)/gap) + 1

	t.Run("steady stream", func(t *testing.T) {
		l, clk := newLimiter(t, perUserMinute())
		peak := stream(t, l, clk, "u", n, gap)
		t.Logf("%d values, %d active at a time, peak state %d", n, active, peak)
		assert.LessOrEqual(t, peak, 3*active)
		assert.Less(t, peak, n/4)
	})

	t.Run("burst then quiet", func(t *testing.T) {
		l, clk := newLimiter(t, perUserMinute())
		for i := range n {
			require.True(t, l.Allow(ratelimit.Cost{Scope: "old" + strconv.Itoa(i)}))
		}
		require.Equal(t, n, l.ScopeCount(), "all are live within the window")

		clk.Advance(2 * time.Minute)
		peak := stream(t, l, clk, "new", n, gap)
		final := l.ScopeCount()
		t.Logf("after the burst: peak state %d, final %d", peak, final)
		assert.LessOrEqual(t, final, 3*active, "the burst's values are gone")
		assert.Less(t, peak, 2*n, "state never holds more than twice the busiest set")

		// Evicted values start afresh with a full budget.
		assert.True(t, l.Allow(ratelimit.Cost{Scope: "old1"}))
	})

	t.Run("live values are kept", func(t *testing.T) {
		l, clk := newLimiter(t, perUserMinute())
		require.True(t, l.Allow(ratelimit.Cost{Scope: "alice"}))
		// Enough new values to trigger several sweeps while alice's call is
		// still inside her window.
		stream(t, l, clk, "u", 5000, time.Millisecond)
		assert.False(t, l.Allow(ratelimit.Cost{Scope: "alice"}), "alice's state must survive the sweeps")
	})
}

// After a quiet window, the next new user sweeps out everyone idle: memory
// follows the users active now, not the most ever seen.
func TestQuietWindowSweepsEveryIdleScope(t *testing.T) {
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{
		{Count: 5, Window: time.Minute, Per: "username"},
	}}}, ratelimit.WithClock(clk))
	l := reg.App("app").At(0)
	for i := range 50_000 {
		require.True(t, l.Allow(ratelimit.Cost{Scope: fmt.Sprint("u", i)}))
	}
	require.Equal(t, 50_000, l.ScopeCount())
	clk.Advance(2 * time.Minute)
	require.True(t, l.Allow(ratelimit.Cost{Scope: "late"}))
	assert.Equal(t, 1, l.ScopeCount())
}
