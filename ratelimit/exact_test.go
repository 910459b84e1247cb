package ratelimit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

// admission is one call let through: when Wait returned (clock reading
// since the start), what it cost and for which scope.
type admission struct {
	at    time.Duration
	cost  int
	scope string
}

type workload struct {
	limits  []ratelimit.Limit
	margin  time.Duration
	workers int
	calls   int           // per worker; 0 means until the clock reaches until
	until   time.Duration // stop once a call is let through at or after this
	maxCost int           // Messages drawn from 1..maxCost
	scopes  []string      // worker i draws from all of them, or only scopes[i%len] if pinned
	pinned  bool
	step    func(*rand.Rand) time.Duration
	noPace  bool // turn pacing off
	// answer, when set, makes workers use Acquire and report each answer
	// that long after the grant; the call reaches the server at a random
	// time in between, which is the time logged.
	answer func(*rand.Rand) time.Duration
}

// run lets the workers call Wait concurrently while the test goroutine
// drives the clock. The driver advances only when every live worker is
// parked, on a timer or in the queue: then nobody is between a wake-up and reading the
// clock, so each admission is stamped with the reading that released it.
// A reading is at most one step past the slot the limiter chose, which
// the margin covers when steps are no longer than it.
func (w workload) run(t *testing.T, seed uint64) []admission {
	t.Helper()
	clk := newClock()
	start := clk.Now()
	opts := []ratelimit.Option{ratelimit.WithClock(clk), ratelimit.WithMargin(w.margin)}
	if w.noPace {
		opts = append(opts, ratelimit.WithPacing(0))
	}
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: w.limits}}, opts...)
	l := reg.App("app").Limiter("g")

	var active atomic.Int64
	active.Store(int64(w.workers))
	logs := make([][]admission, w.workers)
	errs := make([]error, w.workers)
	var wg sync.WaitGroup
	for id := range w.workers {
		wg.Go(func() {
			defer active.Add(-1)
			rng := rand.New(rand.NewPCG(seed, uint64(id)))
			for i := 0; w.calls == 0 || i < w.calls; i++ {
				c := ratelimit.Cost{Messages: 1 + rng.IntN(w.maxCost)}
				if len(w.scopes) > 0 {
					if w.pinned {
						c.Scope = w.scopes[id%len(w.scopes)]
					} else {
						c.Scope = w.scopes[rng.IntN(len(w.scopes))]
					}
				}
				if w.answer == nil {
					if err := l.Wait(context.Background(), c); err != nil {
						errs[id] = err
						return
					}
				} else {
					g, err := l.Acquire(context.Background(), c)
					if err != nil {
						errs[id] = err
						return
					}
					granted := clk.Now().Sub(start)
					flight := w.answer(rng)
					arrival := granted + time.Duration(rng.Int64N(int64(flight)+1))
					fire, _ := clk.NewTimer(flight)
					<-fire
					g.Answered()
					logs[id] = append(logs[id], admission{arrival, c.Messages, c.Scope})
					if w.calls == 0 && granted >= w.until {
						return
					}
					continue
				}
				at := clk.Now().Sub(start)
				logs[id] = append(logs[id], admission{at, c.Messages, c.Scope})
				if w.calls == 0 && at >= w.until {
					return
				}
			}
		})
	}

	rng := rand.New(rand.NewPCG(seed, 1<<32))
	for {
		end := time.Now().Add(guard)
		for int64(parked(clk, l)) != active.Load() {
			if time.Now().After(end) {
				t.Fatalf("stuck: %d parked, %d workers running", parked(clk, l), active.Load())
			}
			runtime.Gosched()
		}
		if active.Load() == 0 {
			break
		}
		clk.Advance(w.step(rng))
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return slices.Concat(logs...)
}

// checkExact asserts that for every limit and scope, every half-open window
// (x-Window, x] holds at most Count units. Windows ending at an admission
// are the only ones to check: any other window holds no more than the one
// ending at its newest admission.
func checkExact(t *testing.T, limits []ratelimit.Limit, log []admission) {
	t.Helper()
	for _, lim := range limits {
		byScope := map[string][]admission{}
		for _, a := range log {
			key := ""
			if lim.Per != "" {
				key = a.scope
			}
			byScope[key] = append(byScope[key], a)
		}
		for scope, as := range byScope {
			slices.SortStableFunc(as, func(a, b admission) int { return int(a.at - b.at) })
			sum, worst := 0, 0
			for i, j := 0, 0; j < len(as); j++ {
				sum += units(lim, as[j].cost)
				for as[i].at <= as[j].at-lim.Window {
					sum -= units(lim, as[i].cost)
					i++
				}
				worst = max(worst, sum)
				if sum > lim.Count {
					t.Fatalf("%v, scope %q: %d units in (%v, %v]", lim, scope, sum, as[j].at-lim.Window, as[j].at)
				}
			}
			if testing.Verbose() {
				t.Logf("%v, scope %q: %d admitted, fullest window %d/%d", lim, scope, len(as), worst, lim.Count)
			}
		}
	}
}

func units(lim ratelimit.Limit, messages int) int {
	if lim.Unit == ratelimit.Messages {
		return messages
	}
	return 1
}

func TestExactUnderConcurrentLoad(t *testing.T) {
	sec := time.Second
	groups := []struct {
		name    string
		limits  []ratelimit.Limit
		maxCost int
		scopes  []string
	}{
		{"one side", []ratelimit.Limit{
			{Count: 7, Window: sec},
		}, 3, nil},
		{"two sides", []ratelimit.Limit{
			{Count: 10, Window: sec, Unit: ratelimit.Calls},
			{Count: 24, Window: 3 * sec, Unit: ratelimit.Messages},
		}, 6, nil},
		{"three sides", []ratelimit.Limit{
			{Count: 12, Window: sec, Unit: ratelimit.Calls},
			{Count: 30, Window: 2 * sec, Unit: ratelimit.Messages},
			{Count: 8, Window: 3 * sec, Unit: ratelimit.Messages, Per: "user"},
		}, 5, []string{"a", "b", "c", "d"}},
		{"three sides two scoped", []ratelimit.Limit{
			{Count: 15, Window: sec, Unit: ratelimit.Calls},
			{Count: 3, Window: sec, Unit: ratelimit.Calls, Per: "user"},
			{Count: 10, Window: 2 * sec, Unit: ratelimit.Messages, Per: "user"},
		}, 4, []string{"a", "b", "c"}},
	}
	for _, g := range groups {
		for _, seed := range []uint64{1, 2, 3, 4} {
			t.Run(fmt.Sprintf("%s/seed=%d", g.name, seed), func(t *testing.T) {
				m := []time.Duration{ratelimit.DefaultMargin, 50 * time.Millisecond}[seed%2]
				w := workload{
					limits: g.limits, margin: m, workers: 8, calls: 50,
					maxCost: g.maxCost, scopes: g.scopes,
					// Random steps up to the margin: sometimes exactly onto a
					// slot, mostly past it.
					step: func(r *rand.Rand) time.Duration { return 1 + time.Duration(r.Int64N(int64(m))) },
				}
				log := w.run(t, seed)
				require.Len(t, log, w.workers*w.calls)
				checkExact(t, g.limits, log)
			})
		}
	}
}

// Calls whose answers are reported are exact on their arrival times at the
// server, wherever those fall between the grant and the answer, with no
// margin at all: the answer bounds the arrival.
func TestAcquireExactWhateverTheFlightTime(t *testing.T) {
	sec := time.Second
	limits := []ratelimit.Limit{
		{Count: 12, Window: sec, Unit: ratelimit.Calls},
		{Count: 30, Window: 2 * sec, Unit: ratelimit.Messages},
		{Count: 4, Window: sec, Unit: ratelimit.Calls, Per: "user"},
	}
	for _, seed := range []uint64{1, 2, 3, 4} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			w := workload{
				limits: limits, margin: 0, workers: 10, calls: 40,
				maxCost: 4, scopes: []string{"a", "b", "c"},
				step: func(r *rand.Rand) time.Duration { return 1 + time.Duration(r.Int64N(int64(5*time.Millisecond))) },
				// Mostly quick answers, now and then one that takes most of
				// a window.
				answer: func(r *rand.Rand) time.Duration {
					if r.IntN(10) == 0 {
						return time.Duration(r.Int64N(int64(900 * time.Millisecond)))
					}
					return time.Duration(r.Int64N(int64(3 * time.Millisecond)))
				},
			}
			log := w.run(t, seed)
			require.Len(t, log, w.workers*w.calls)
			checkExact(t, limits, log)
		})
	}
}

// With margin 0, no pacing and a clock that moves in steps dividing every
// window, each call goes exactly at its slot; a constant backlog must then
// use the binding limit fully. (Pacing trades a little of a per-scope
// limit's use for smooth App Key sides: a scope's slot can slip while the
// App Key side lets out a burst.)
func TestFullUtilizationUnderBacklog(t *testing.T) {
	const (
		tick    = 10 * time.Millisecond
		windows = 20
	)
	sec := time.Second
	cases := []struct {
		name      string
		limits    []ratelimit.Limit
		maxCost   int
		scopes    []string
		perWindow int // calls per second the binding limits allow
	}{
		{"calls", []ratelimit.Limit{{Count: 7, Window: sec}}, 1, nil, 7},
		{"messages", []ratelimit.Limit{
			{Count: 1000, Window: sec, Unit: ratelimit.Calls},
			{Count: 20, Window: sec, Unit: ratelimit.Messages},
		}, 1, nil, 20},
		{"per scope", []ratelimit.Limit{
			{Count: 1000, Window: sec, Unit: ratelimit.Calls},
			{Count: 100, Window: sec, Unit: ratelimit.Messages},
			{Count: 3, Window: sec, Unit: ratelimit.Calls, Per: "user"},
		}, 3, []string{"a", "b", "c"}, 9},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := workload{
				limits: tc.limits, margin: 0, workers: 6,
				until:   windows * sec,
				maxCost: tc.maxCost, scopes: tc.scopes, pinned: true, noPace: true,
				step: func(*rand.Rand) time.Duration { return tick },
			}
			log := w.run(t, 7)
			checkExact(t, tc.limits, log)
			n := 0
			for _, a := range log {
				if a.at < w.until {
					n++
				}
			}
			want := tc.perWindow * windows
			assert.GreaterOrEqual(t, float64(n), 0.95*float64(want), "admitted %d of %d", n, want)
			assert.Equal(t, want, n, "a backlog fills every window exactly")
		})
	}
}
