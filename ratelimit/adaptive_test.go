package ratelimit_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
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

	// Each quiet period raises the rate by 5% of the configured quota; the
	// period from the refusal on, [1s, 2s), is not quiet.
	clk.Advance(3 * time.Second)
	assert.InDelta(t, 0.91, l.Status().RateFactor, 1e-9)
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

// A server whose real quota is 60% of the configured one refuses every call
// above it, in bursts (no pacing) or spread over the window (paced). The
// rate must come down to the real quota, never rise after a period that
// saw a refusal, and climb back to the full rate once the refusals stop.
func TestThrottledSettlesAtTheRealQuota(t *testing.T) {
	for _, pace := range []time.Duration{0, ratelimit.DefaultPace} {
		t.Run(fmt.Sprint("pace=", pace), func(t *testing.T) { settleAtRealQuota(t, pace) })
	}
}

func settleAtRealQuota(t *testing.T, pace time.Duration) {
	const configured, realQuota, tick = 100, 60, 10 * time.Millisecond
	clk := ratelimit.NewManualClock(time.Unix(0, 0))
	l := ratelimit.NewRegistry(
		[]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{{Count: configured, Window: time.Second}}}},
		ratelimit.WithClock(clk), ratelimit.WithMargin(0), ratelimit.WithPacing(pace),
		ratelimit.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	).App("app").Limiter("g")
	quota := realQuota                     // what the server accepts per second
	var accepted []time.Duration           // the server's sliding window of 1 s
	lastRefusal := time.Duration(-1 << 62) // none yet
	rate := configured
	var tail []int // the rate after each tick of the last 20 refused seconds
	var at time.Duration
	// observe fails on a rise after a period that saw a refusal.
	observe := func(now int) {
		if now > rate && at-lastRefusal <= time.Second {
			t.Fatalf("at %v the rate rose to %d after a refusal at %v", at, now, lastRefusal)
		}
		rate = now
	}
	for ; at < 60*time.Second; at += tick {
		if at == 40*time.Second {
			quota = configured // the server stops refusing
		}
		for len(accepted) > 0 && accepted[0] <= at-time.Second {
			accepted = accepted[1:]
		}
		for l.Allow(ratelimit.Cost{}) {
			observe(l.Limits()[0].Count) // before a refusal cuts
			if len(accepted) < quota {
				accepted = append(accepted, at)
				continue
			}
			lastRefusal = at
			l.Throttled()
		}
		observe(l.Status().Effective[0].Count)
		if at == 5*time.Second {
			// Five periods of refusals: 0.9^5 = 0.59 of the configured rate.
			require.LessOrEqual(t, rate, realQuota, "the cuts did not compound")
		}
		if at >= 20*time.Second && at < 40*time.Second {
			tail = append(tail, rate)
		}
		clk.Advance(tick)
	}
	// The rate probes one raise above the real quota, and is cut back there.
	assert.LessOrEqual(t, slices.Max(tail), realQuota+5)
	assert.LessOrEqual(t, mean(tail), float64(realQuota))
	assert.Equal(t, 1.0, l.Status().RateFactor, "no recovery once the refusals stopped")
}

func mean(xs []int) float64 {
	sum := 0
	for _, x := range xs {
		sum += x
	}
	return float64(sum) / float64(len(xs))
}
