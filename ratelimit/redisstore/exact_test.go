package redisstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
	// slow > 0 settles the calls: each arrives up to slow after its slot
	// (a cold connection, a slow network), and is settled as counted
	// then; one in 50 is never settled, as if its process died.
	slow time.Duration
}

// hammer lets every worker of every store reserve as fast as it is
// allowed for h.run and returns the grants (at their arrival, with
// h.slow) with the Redis time the run ended. Workers differ in how long they accept to wait (none, some, any),
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
				var n uint64
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
					if h.slow > 0 {
						n++
						r.ID, r.Flight = uint64(i+1)<<48|uint64(w)<<32|n, 2*time.Second
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
						at := now.Add(wait)
						time.Sleep(wait)
						if h.slow > 0 {
							delay := time.Duration(rng.Int64N(int64(h.slow)))
							time.Sleep(delay)
							at = at.Add(delay)
							if rng.IntN(50) > 0 {
								err = redisstore.SettleAt(ctx, s, &r, at.Add(ratelimit.AnswerMargin))
							}
						}
						mine = append(mine, grant{at, r.Units, r.Scope})
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
// no half-open interval of Window+extra holds more than Count units: that
// is the store's promise, on grants (extra: the margin) or on arrivals
// (extra 0), and it implies the server's Window.
func checkExact(t *testing.T, limits []ratelimit.Limit, grants []grant, extra time.Duration) {
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
		span := lim.Window + extra
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
			checkExact(t, h.limits, grants, margin)

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
// side keeps its count while all are decided together. Settled, the calls
// arrive up to 30 ms after their slot, longer than any margin, and are
// settled as counted on arrival, some never (their process died): no
// window of arrivals holds more than the count.
func TestExactAcrossStoresThreeSided(t *testing.T) {
	for _, c := range []struct {
		name  string
		slow  time.Duration
		extra time.Duration // checked over Window + extra
	}{{"wait", 0, margin}, {"settled", 30 * time.Millisecond, 0}} {
		t.Run(c.name, func(t *testing.T) {
			h := hammer{
				limits: []ratelimit.Limit{
					{Count: 25, Window: time.Second},
					{Count: 150, Window: 2 * time.Second, Unit: ratelimit.Messages},
					{Count: 6, Window: time.Second, Per: "username"},
				},
				pace: ratelimit.DefaultPace, stores: 4, workers: 8, run: 2500 * time.Millisecond,
				maxMsgs: 5, scopes: []string{"alice", "bob", "carol", "dave", "erin"}, slow: c.slow,
			}
			grants, _ := h.hammer(t)
			assert.Greater(t, len(grants), 50)
			checkExact(t, h.limits, grants, c.extra)
		})
	}
}

// twin replays calls on the store and on the in-process limiter the script
// reproduces, on a manual clock set to the server's time of each decision:
// both must grant the same calls and report the same waits, to the
// microsecond. Half the calls are settled ones (Flight, an id, TryAcquire
// in process): they stay in flight, most for a few milliseconds and some
// for windows, until the test settles them on both sides as counted at an
// instant between their grant and then.
type twin struct {
	t    *testing.T
	s    *redisstore.Store
	apps map[string]twinApp
	rng  *rand.Rand
	open []twinGrant
	ids  uint64

	granted, refused, settled int
}

// twinApp is the model of one App Key, on a clock of its own: the scripts
// of a pipeline read the server's time one after the other.
type twinApp struct {
	clk   *ratelimit.ManualClock
	model *ratelimit.Limiter
}

type twinGrant struct {
	req      ratelimit.StoreRequest
	g        ratelimit.Grant
	at, hold time.Time
}

// twinFlight is far beyond the test's length: no provisional end passes.
const twinFlight = time.Minute

func newTwin(t *testing.T, client redis.UniversalClient, limits []ratelimit.Limit, pace time.Duration, apps ...string) *twin {
	s, _ := newStore(client)
	start, err := client.(*redis.Client).Time(context.Background()).Result()
	require.NoError(t, err)
	tw := &twin{t: t, s: s, apps: map[string]twinApp{}, rng: rand.New(rand.NewPCG(1, 2))}
	for _, app := range apps {
		clk := ratelimit.NewManualClock(start)
		reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}},
			ratelimit.WithClock(clk), ratelimit.WithMargin(margin), ratelimit.WithPacing(pace), ratelimit.WithoutAdaptation())
		tw.apps[app] = twinApp{clk, reg.App(app).Limiter("g")}
	}
	return tw
}

// request draws a call: its cost, scope and kind.
func (tw *twin) request(limits []ratelimit.Limit, pace time.Duration, apps []string) (ratelimit.Cost, ratelimit.StoreRequest) {
	scopes := []string{"alice", "bob", "carol"}
	c := ratelimit.Cost{Messages: 1 + tw.rng.IntN(5), Scope: scopes[tw.rng.IntN(len(scopes))]}
	r := request(limits, 1, int64(c.Messages), 1, 1)
	r.AppKey, r.Scope, r.Pace = apps[tw.rng.IntN(len(apps))], c.Scope, pace
	if tw.rng.IntN(2) == 0 {
		tw.ids++
		r.ID, r.Flight = tw.ids, twinFlight
	}
	return c, r
}

// decided checks the store's decision on r, made at server time now,
// against the model's, and spends the model as the store did.
func (tw *twin) decided(c ratelimit.Cost, r ratelimit.StoreRequest, now time.Time, wait time.Duration, ok bool, what string) {
	t := tw.t
	t.Helper()
	app := tw.apps[r.AppKey]
	step := now.Sub(app.clk.Now())
	if step < 0 {
		t.Skipf("the server's clock went back %v", -step)
	}
	app.clk.Advance(step)
	model := app.model
	want, err := model.Delay(c)
	require.NoError(t, err)
	require.Equal(t, want, wait, "%s: %+v, flight %v", what, c, r.Flight)
	if !ok {
		require.Positive(t, wait)
		tw.refused++
		return
	}
	require.Zero(t, wait)
	tw.granted++
	if r.Flight == 0 {
		require.True(t, model.Allow(c))
		return
	}
	g, err := model.TryAcquire(c)
	require.NoError(t, err)
	// Slow answers fill windows with calls in flight, so that room waits
	// on them.
	hold := time.Duration(tw.rng.Int64N(int64(10 * time.Millisecond)))
	if tw.rng.IntN(3) > 0 {
		hold = time.Duration(50+tw.rng.Int64N(250)) * time.Millisecond
	}
	tw.open = append(tw.open, twinGrant{req: r, g: g, at: now, hold: now.Add(hold)})
}

// settle settles the open grants held long enough, as counted at a random
// instant between their grant and now.
func (tw *twin) settle() {
	kept := tw.open[:0]
	for _, o := range tw.open {
		now := tw.apps[o.req.AppKey].clk.Now()
		if now.Before(o.hold) {
			kept = append(kept, o)
			continue
		}
		counted := o.at.Add(time.Duration(tw.rng.Int64N(int64(now.Sub(o.at))/1000+1)) * time.Microsecond)
		o.g.CountedBefore(now.Sub(counted))
		require.NoError(tw.t, redisstore.SettleAt(context.Background(), tw.s, &o.req, counted.Add(ratelimit.AnswerMargin)))
		tw.settled++
	}
	clear(tw.open[len(kept):])
	tw.open = kept
}

func (tw *twin) report() {
	tw.t.Logf("%d granted, %d refused, %d settled, all as the in-process limiter decided", tw.granted, tw.refused, tw.settled)
	assert.Positive(tw.t, tw.granted)
	assert.Positive(tw.t, tw.refused)
	assert.Positive(tw.t, tw.settled)
}

// twinLimits are short windows, so that entries expire, logs are pruned and
// pacing bites within the run; figures are whole microseconds so that
// rounding cannot differ.
var twinLimits = []ratelimit.Limit{
	{Count: 20, Window: 100 * time.Millisecond},                           // paced: burst 10, one per 6 ms
	{Count: 50, Window: 200 * time.Millisecond, Unit: ratelimit.Messages}, // paced: burst 10, one per 4.4 ms
	{Count: 5, Window: 100 * time.Millisecond, Per: "username"},           // unpaced: 5 < 10
	{Count: 15, Window: 600 * time.Millisecond},                           // paced: one per 40 ms, slack of minSlack units
}

const twinPace = 20 * time.Millisecond

// Every call is tried on the store at once (MaxWait 0), one at a time.
func TestMatchesInProcessLimiter(t *testing.T) {
	apps := []string{"org#app"}
	tw := newTwin(t, redistest.Start(t), twinLimits, twinPace, apps...)
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
		c, r := tw.request(twinLimits, twinPace, apps)
		now, wait, ok, err := redisstore.ReserveClock(context.Background(), tw.s, r)
		require.NoError(t, err)
		tw.decided(c, r, now, wait, ok, fmt.Sprintf("call %d", tw.granted+tw.refused))
		tw.settle()
		time.Sleep(time.Duration(tw.rng.Int64N(int64(3 * time.Millisecond))))
	}
	tw.report()
}
