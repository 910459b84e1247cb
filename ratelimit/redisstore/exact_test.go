package redisstore_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// grant is one call let through, stamped with its slot on Redis's clock.
type grant struct {
	at    time.Time
	units []int64
	scope string
}

type hammer struct {
	limits  []ratelimit.Limit
	pace    time.Duration
	stores  int // separate clients, as separate processes would have
	workers int // per store
	run     time.Duration
	maxMsgs int64    // Messages units drawn from 1..maxMsgs (0: 1)
	scopes  []string // drawn at random per call
}

// hammer lets every worker of every store reserve as fast as it is
// allowed for h.run and returns the grants with the Redis time the run
// ended. Workers differ in how long they accept to wait (none, some, any),
// and sleep until their slot as a real caller would; refused ones retry
// after a short random pause, not at the reported time, to keep the
// script under contention.
func (h hammer) hammer(t *testing.T) ([]grant, time.Time) {
	t.Helper()
	srv := redistest.StartServer(t)
	prefix := redistest.Prefix()
	ctx := context.Background()
	maxWaits := []time.Duration{0, 50 * time.Millisecond, -1}

	var (
		mu     sync.Mutex
		calls  atomic.Int64
		grants []grant
		errs   []error
		wg     sync.WaitGroup
	)
	stop := time.Now().Add(h.run)
	for i := range h.stores {
		s := redisstore.New(srv.Client(t), redisstore.WithPrefix(prefix), redisstore.WithTimeout(testTimeout))
		for w := range h.workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(i), uint64(w)))
				var mine []grant
				var err error
				for time.Now().Before(stop) {
					r := ratelimit.StoreRequest{
						AppKey: "org#app", Group: "g", Limits: h.limits, Units: make([]int64, len(h.limits)),
						Margin: margin, Pace: h.pace, MaxWait: maxWaits[w%len(maxWaits)],
					}
					msgs := 1 + rng.Int64N(max(1, h.maxMsgs))
					for j, lim := range h.limits {
						r.Units[j] = 1
						if lim.Unit == ratelimit.Messages {
							r.Units[j] = msgs
						}
					}
					if len(h.scopes) > 0 {
						r.Scope = h.scopes[rng.IntN(len(h.scopes))]
					}
					var now time.Time
					var wait time.Duration
					var ok bool
					now, wait, ok, err = redisstore.ReserveClock(ctx, s, r)
					calls.Add(1)
					if err != nil {
						break
					}
					if ok {
						mine = append(mine, grant{now.Add(wait), r.Units, r.Scope})
						time.Sleep(wait)
					} else {
						time.Sleep(min(wait, time.Duration(rng.Int64N(int64(2*time.Millisecond)))))
					}
				}
				mu.Lock()
				defer mu.Unlock()
				grants = append(grants, mine...)
				if err != nil {
					errs = append(errs, err)
				}
			})
		}
	}
	wg.Wait()
	require.Empty(t, errs)
	t.Logf("%d Reserve calls, %d granted", calls.Load(), len(grants))
	end, err := srv.Client(t).Time(ctx).Result()
	require.NoError(t, err)
	slices.SortFunc(grants, func(a, b grant) int { return a.at.Compare(b.at) })
	return grants, end
}

// checkExact asserts that for every limit (and scope, for a per-scope one)
// no half-open interval of Window+margin holds more than Count units:
// that is the store's promise, and it implies the server's Window.
func checkExact(t *testing.T, limits []ratelimit.Limit, grants []grant) {
	t.Helper()
	for j, lim := range limits {
		byScope := map[string][]grant{}
		for _, g := range grants {
			key := ""
			if lim.Per != "" {
				key = g.scope
			}
			byScope[key] = append(byScope[key], g)
		}
		span := lim.Window + margin
		for scope, gs := range byScope {
			var sum, most int64
			lo := 0
			for _, g := range gs {
				sum += g.units[j]
				for !gs[lo].at.After(g.at.Add(-span)) {
					sum -= gs[lo].units[j]
					lo++
				}
				most = max(most, sum)
			}
			assert.LessOrEqual(t, most, int64(lim.Count), "limit %v scope %q", lim, scope)
			t.Logf("limit %v scope %q: %d grants, at most %d units in %v", lim, scope, len(gs), most, span)
		}
	}
}

// 4 stores x 8 workers on one 50/s limit: never more than 50 in a window,
// and at least 95% of 50/s over whole windows.
func TestExactAcrossStores(t *testing.T) {
	lim := ratelimit.Limit{Count: 50, Window: time.Second}
	for _, c := range []struct {
		name string
		pace time.Duration
	}{{"unpaced", 0}, {"paced", ratelimit.DefaultPace}} {
		t.Run(c.name, func(t *testing.T) {
			h := hammer{limits: []ratelimit.Limit{lim}, pace: c.pace, stores: 4, workers: 8, run: 2500 * time.Millisecond}
			grants, end := h.hammer(t)
			require.NotEmpty(t, grants)
			checkExact(t, h.limits, grants)

			span := lim.Window + margin
			first := grants[0].at
			whole := end.Sub(first) / span
			require.GreaterOrEqual(t, whole, time.Duration(2), "run too short")
			n := 0
			for _, g := range grants {
				if g.at.Before(first.Add(whole * span)) {
					n++
				}
			}
			rate := float64(n) / (whole * span).Seconds()
			t.Logf("%d grants in %d windows of %v: %.2f/s", n, whole, span, rate)
			assert.GreaterOrEqual(t, rate, 0.95*float64(lim.Count))
		})
	}
}

// The same on three sides at once, with message costs and scopes: every
// side keeps its count while all are decided together.
func TestExactAcrossStoresThreeSided(t *testing.T) {
	h := hammer{
		limits: []ratelimit.Limit{
			{Count: 25, Window: time.Second},
			{Count: 150, Window: 2 * time.Second, Unit: ratelimit.Messages},
			{Count: 6, Window: time.Second, Per: "username"},
		},
		pace: ratelimit.DefaultPace, stores: 4, workers: 8, run: 2500 * time.Millisecond,
		maxMsgs: 5, scopes: []string{"alice", "bob", "carol", "dave", "erin"},
	}
	grants, _ := h.hammer(t)
	assert.Greater(t, len(grants), 50)
	checkExact(t, h.limits, grants)
}

// The script against the in-process limiter it reproduces: every call is
// tried on the store at once (MaxWait 0), and the limiter, on a manual
// clock set to the server's time of each decision, must grant the same
// calls and report the same waits, to the microsecond. Windows are short
// so that entries expire, the log is pruned and pacing bites within the
// run; figures are whole microseconds so that rounding cannot differ.
func TestMatchesInProcessLimiter(t *testing.T) {
	ctx := context.Background()
	limits := []ratelimit.Limit{
		{Count: 20, Window: 100 * time.Millisecond},                           // paced: burst 10, one per 6 ms
		{Count: 50, Window: 200 * time.Millisecond, Unit: ratelimit.Messages}, // paced: burst 10, one per 4.4 ms
		{Count: 5, Window: 100 * time.Millisecond, Per: "username"},           // unpaced: 5 < 10
	}
	const pace = 20 * time.Millisecond
	client := redistest.Start(t)
	s, _ := newStore(client)
	start, err := client.Time(ctx).Result()
	require.NoError(t, err)
	clk := ratelimit.NewManualClock(start)
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}},
		ratelimit.WithClock(clk), ratelimit.WithMargin(margin), ratelimit.WithPacing(pace), ratelimit.WithoutAdaptation())
	model := reg.App("org#app").Limiter("g")

	rng := rand.New(rand.NewPCG(1, 2))
	scopes := []string{"alice", "bob", "carol"}
	var granted, refused int
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
		c := ratelimit.Cost{Messages: 1 + rng.IntN(5), Scope: scopes[rng.IntN(len(scopes))]}
		r := request(limits, 1, int64(c.Messages), 1)
		r.Scope, r.Pace = c.Scope, pace
		now, wait, ok, err := redisstore.ReserveClock(ctx, s, r)
		require.NoError(t, err)
		step := now.Sub(clk.Now())
		if step < 0 {
			t.Skipf("the server's clock went back %v", -step)
		}
		clk.Advance(step)
		want, err := model.Delay(c)
		require.NoError(t, err)
		require.Equal(t, want, wait, "call %d: %+v", granted+refused, c)
		if ok {
			require.Zero(t, wait)
			require.True(t, model.Allow(c))
			granted++
		} else {
			require.Positive(t, wait)
			refused++
		}
		time.Sleep(time.Duration(rng.Int64N(int64(3 * time.Millisecond))))
	}
	t.Logf("%d granted, %d refused, all as the in-process limiter decided", granted, refused)
	assert.Positive(t, granted)
	assert.Positive(t, refused)
}
