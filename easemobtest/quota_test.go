package easemobtest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

// base is aligned on a whole second so fixed windows start at known instants.
var base = time.Unix(1_700_000_000, 0)

func at(ms int) time.Time { return base.Add(time.Duration(ms) * time.Millisecond) }

func perSecond(n int) ratelimit.Limit {
	return ratelimit.Limit{Count: n, Window: time.Second}
}

func table(t *testing.T, alg Algorithm, limits ...ratelimit.Limit) *quotaTable {
	t.Helper()
	q, err := newQuotaTable(alg, []ratelimit.Quota{{Group: "g", Limits: limits}})
	require.NoError(t, err)
	return q
}

// admitAt returns how many of n calls at instant ms were admitted.
func admitAt(q *quotaTable, ms, n int) int {
	ok := 0
	for range n {
		if q.admit(0, at(ms), nil, 1) == admitted {
			ok++
		}
	}
	return ok
}

// byUser is the scope of a call by the named user.
func byUser(name string) scopeFunc { return func(string) string { return name } }

var algorithms = []Algorithm{SlidingWindow, FixedWindow, TokenBucket}

func TestSlidingWindow(t *testing.T) {
	q := table(t, SlidingWindow, perSecond(5))
	assert.Equal(t, 3, admitAt(q, 0, 3))
	assert.Equal(t, 2, admitAt(q, 500, 3), "only 5 fit in any second")
	assert.Equal(t, 0, admitAt(q, 999, 1))
	assert.Equal(t, 3, admitAt(q, 1000, 4), "the 3 calls of t=0 left the window at t=1s")
	assert.Equal(t, 0, admitAt(q, 1499, 1))
	assert.Equal(t, 2, admitAt(q, 1500, 3))
	st := q.stats("g")
	assert.Equal(t, 15, st.Received)
	assert.Equal(t, 10, st.Accepted)
	assert.Equal(t, 5, st.RateLimited)
}

func TestFixedWindowResetsAtBoundaries(t *testing.T) {
	q := table(t, FixedWindow, perSecond(5))
	assert.Equal(t, 5, admitAt(q, 900, 6))
	assert.Equal(t, 0, admitAt(q, 999, 1))
	// A new window forgets the old one: 10 calls pass within 100 ms.
	assert.Equal(t, 5, admitAt(q, 1000, 6))
	assert.Equal(t, 0, admitAt(q, 1999, 1))
	assert.Equal(t, 1, admitAt(q, 2000, 1))
}

func TestTokenBucketRefills(t *testing.T) {
	q := table(t, TokenBucket, perSecond(5))
	assert.Equal(t, 5, admitAt(q, 0, 6), "starts full")
	assert.Equal(t, 0, admitAt(q, 199, 1))
	assert.Equal(t, 1, admitAt(q, 200, 2), "one token per 200 ms")
	assert.Equal(t, 2, admitAt(q, 600, 3))
	assert.Equal(t, 5, admitAt(q, 10_000, 6), "never holds more than Count")
}

func TestTokenBucketHugeQuota(t *testing.T) {
	// count×window overflows an int64 at nanosecond resolution.
	q := table(t, TokenBucket, ratelimit.Limit{Count: 1 << 40, Window: 24 * time.Hour})
	assert.Equal(t, 3, admitAt(q, 0, 3))
}

func TestAllSidesOrNone(t *testing.T) {
	calls := ratelimit.Limit{Count: 2, Window: time.Second, Unit: ratelimit.Calls}
	msgs := ratelimit.Limit{Count: 5, Window: time.Second, Unit: ratelimit.Messages}
	for _, alg := range algorithms {
		t.Run(alg.String(), func(t *testing.T) {
			q := table(t, alg, calls, msgs)
			assert.Equal(t, admitted, q.admit(0, at(0), nil, 3))
			assert.Equal(t, overMessages, q.admit(0, at(0), nil, 3), "6 messages > 5")
			// The refused call took no call quota: a second call still fits.
			assert.Equal(t, admitted, q.admit(0, at(0), nil, 2))
			assert.Equal(t, overCalls, q.admit(0, at(0), nil, 0), "calls over; 0 targets cost 1 message")
			st := q.stats("g")
			assert.Equal(t, GroupStats{Received: 4, Accepted: 2, RateLimited: 1, QuotaExceeded: 1,
				MaxInWindow: []int{4, 9}}, st)
		})
	}
}

func TestPerUserScopeIsCaseFolded(t *testing.T) {
	perUser := ratelimit.Limit{Count: 2, Window: time.Minute, Per: "username"}
	q := table(t, SlidingWindow, perUser)
	assert.Equal(t, admitted, q.admit(0, at(0), byUser("Alice"), 1))
	assert.Equal(t, admitted, q.admit(0, at(1), byUser("alice"), 1))
	assert.Equal(t, overCalls, q.admit(0, at(2), byUser("ALICE"), 1))
	assert.Equal(t, admitted, q.admit(0, at(3), byUser("bob"), 1))
	assert.Equal(t, []int{3}, q.stats("g").MaxInWindow)
}

func TestMaxInWindowKnownArrivals(t *testing.T) {
	appKey := ratelimit.Limit{Count: 100, Window: time.Second}
	perUser := ratelimit.Limit{Count: 100, Window: time.Minute, Per: "username"}
	q := table(t, SlidingWindow, appKey, perUser)
	arrivals := []struct {
		ms   int
		user string
	}{
		{0, "a"}, {400, "a"}, {999, "b"},
		{1000, "a"},              // t=0 has left: (0,1000] holds 3
		{1001, "b"}, {1300, "b"}, // (300,1300] holds 5: the 1 s maximum
		{30_000, "b"}, {59_000, "b"}, // b: 999..59000 within a minute = 5
		{59_999, "a"}, // a: 4 within a minute
		{61_000, "b"}, // b: (1000,61000] holds 5 again, never 6
	}
	for _, a := range arrivals {
		q.admit(0, at(a.ms), func(string) string { return a.user }, 1)
	}
	assert.Equal(t, []int{5, 5}, q.stats("g").MaxInWindow)
	q.resetStats(at(61_000))
	assert.Equal(t, []int{0, 0}, q.stats("g").MaxInWindow)
	q.admit(0, at(70_000), func(string) string { return "a" }, 1)
	assert.Equal(t, []int{1, 1}, q.stats("g").MaxInWindow, "reset forgets earlier arrivals")
}

// TestMaxInWindowMatchesBruteForce checks the incremental maximum against
// every window ending at an arrival, computed from scratch.
func TestMaxInWindowMatchesBruteForce(t *testing.T) {
	const w = 1000 // ms
	msgs := ratelimit.Limit{Count: 50, Window: w * time.Millisecond, Unit: ratelimit.Messages, Per: "to"}
	q := table(t, SlidingWindow, msgs)
	rng := rand.New(rand.NewPCG(1, 2))
	type arr struct {
		ms, n int
		user  string
	}
	var all []arr
	ms := 0
	for range 2000 {
		ms += rng.IntN(60) // includes simultaneous arrivals
		a := arr{ms, rng.IntN(4), strings.Repeat("u", 1+rng.IntN(3))}
		all = append(all, a)
		q.admit(0, at(a.ms), func(string) string { return a.user }, a.n)
	}
	want := 0
	for i, end := range all {
		sum := 0
		for _, a := range all[:i+1] {
			if a.user == end.user && end.ms-a.ms < w {
				sum += max(a.n, 1)
			}
		}
		want = max(want, sum)
	}
	assert.Equal(t, []int{want}, q.stats("g").MaxInWindow)
	assert.Greater(t, want, 10)
}

func TestWindowLogReclaimsMemory(t *testing.T) {
	l := windowLog{w: int64(time.Second)}
	for i := range 10_000 {
		now := at(i).UnixNano()
		l.expire(now)
		l.add(now, 1)
	}
	assert.Equal(t, 1000, l.sum)
	assert.LessOrEqual(t, len(l.q)-l.head, 1000)
	assert.LessOrEqual(t, len(l.q), 2001)
}

func TestInvalidQuotas(t *testing.T) {
	_, err := newQuotaTable(SlidingWindow, []ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{{Count: 0, Window: time.Second}}}})
	assert.Error(t, err)
	_, err = newQuotaTable(Algorithm(9), nil)
	assert.Error(t, err)
	assert.Equal(t, "token-bucket", TokenBucket.String())
}

// Idle users are forgotten, for every algorithm, without changing a verdict.
func TestIdleScopesAreSwept(t *testing.T) {
	for _, alg := range algorithms {
		t.Run(alg.String(), func(t *testing.T) {
			q := table(t, alg, ratelimit.Limit{Count: 1, Window: time.Second, Per: "username"})
			for i := range 20_000 {
				// 100 new users every 100 ms: about 1000 live per window.
				require.Equal(t, admitted, q.admit(0, at(i/100*100), byUser(fmt.Sprint("u", i)), 1))
			}
			s := q.groups[0].sides[0]
			assert.Less(t, len(s.seen), 5000, "memory follows the active users")
			// A limiter is idle once its user's log is: it never outlives it.
			assert.LessOrEqual(t, len(s.limiters), len(s.seen))
			// A user still in its window keeps its state and its verdict.
			assert.Equal(t, overCalls, q.admit(0, at(19_999/100*100), byUser("u19999"), 1))
		})
	}
}

// ResetStats frees the limiters of users with nothing left in any window
// and keeps the others, which later sweeps free once idle.
func TestResetFreesIdleLimiters(t *testing.T) {
	for _, alg := range algorithms {
		t.Run(alg.String(), func(t *testing.T) {
			q := table(t, alg, ratelimit.Limit{Count: 1, Window: time.Second, Per: "username"})
			for i := range 3000 {
				require.Equal(t, admitted, q.admit(0, at(0), byUser(fmt.Sprint("old", i)), 1))
			}
			s := q.groups[0].sides[0]
			q.resetStats(at(500))
			assert.Equal(t, 3000, len(s.limiters), "a user within its window keeps its quota state")
			assert.Equal(t, overCalls, q.admit(0, at(500), byUser("old7"), 1))

			q.resetStats(at(2000))
			assert.Zero(t, len(s.limiters), "idle users are freed at reset")

			for i := range 3000 {
				require.Equal(t, admitted, q.admit(0, at(3000), byUser(fmt.Sprint("mid", i)), 1))
			}
			q.resetStats(at(3500))
			// The kept limiters have no log to be swept by: the next wave of
			// users must free them all the same.
			for i := range 3000 {
				require.Equal(t, admitted, q.admit(0, at(5000), byUser(fmt.Sprint("new", i)), 1))
			}
			assert.LessOrEqual(t, len(s.limiters), 3000, "the limiters kept by the last reset were swept")
		})
	}
}
