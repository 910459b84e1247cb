package easemob_test

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/ratelimit"
)

// BenchmarkPerUserMemory puts 1 000 000 distinct user IDs through the
// limiter of conversations.delete_for_user (5 calls/min per username) and
// measures the live heap (HeapAlloc after runtime.GC) the limiter holds:
//
//  1. peak: after one call per ID, all within the 1 min window;
//  2. idle: the clock moved past the window and 1000 more calls with new
//     IDs came; the first of them swept every idle ID.
//
// A ManualClock makes it fast; it advances 1 µs per call so the App Key
// side (overridden to a huge count over 1 ms, so that it never refuses)
// keeps a log of ~20k entries (1 ms + 20 ms margin), a fixed few hundred KB,
// rather than growing with every call of a frozen clock. The ID strings are
// made on the fly; the limiter's map keeps them, so their bytes count.
func BenchmarkPerUserMemory(b *testing.B) {
	engRunOnce(b, func(b *testing.B) { engPerUserMemory(b, 1_000_000) })
}

func engPerUserMemory(b *testing.B, ids int) {
	clk := ratelimit.NewManualClock(time.Unix(1_700_000_000, 0))
	reg := easemob.NewRegistry(ratelimit.WithClock(clk))
	const app = "org#app"
	err := reg.Override(app, ratelimit.Quota{Group: easemob.GroupConversationsDeleteForUser, Limits: []ratelimit.Limit{
		{Count: 5, Window: time.Minute, Per: "username"},
		{Count: engHuge, Window: time.Millisecond},
	}})
	if err != nil {
		b.Fatal(err)
	}
	lim := reg.App(app).Limiter(easemob.GroupConversationsDeleteForUser)
	window := lim.Limits()[0].Window

	next := 0
	call := func() {
		clk.Advance(time.Microsecond)
		if !lim.Allow(ratelimit.Cost{Scope: "user" + strconv.Itoa(next)}) {
			b.Fatalf("call %d refused: a first call per ID always fits", next)
		}
		next++
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}

	base := heap()
	start := time.Now()
	for range ids {
		call()
	}
	elapsed := time.Since(start)
	peak, peakScopes := heap(), lim.ScopeCount()

	clk.Advance(window + time.Second) // every ID so far is idle now
	for range 1000 {
		call()
	}
	idle, idleScopes := heap(), lim.ScopeCount()

	mb := func(h uint64) float64 { return float64(int64(h)-int64(base)) / (1 << 20) }
	b.ReportMetric(mb(peak), "peak_MB")
	b.ReportMetric(float64(int64(peak)-int64(base))/float64(ids), "peak_B/user")
	b.ReportMetric(float64(peakScopes), "peak_scopes")
	b.ReportMetric(mb(idle), "idle_MB")
	b.ReportMetric(float64(idleScopes), "idle_scopes")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(ids), "ns/first-call")
	b.Logf("%d IDs in %v: live heap +%.1f MB (%.0f B/ID), %d scopes; past the window, after 1000 new IDs: +%.1f MB, %d scopes",
		ids, elapsed.Round(time.Millisecond), mb(peak), float64(int64(peak)-int64(base))/float64(ids), peakScopes,
		mb(idle), idleScopes)
}
