package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// Issue 9, items 3-4: replicas through Redis. Four replicas, each with its
// own registry, Redis client and SDK client, share one App Key through a
// real redis-server; two groups of 100 calls/s are saturated by 25 callers
// per group in every replica, from a cold start (no connection, no token,
// no script loaded). Every run is fresh: its own redis-server, emulator
// and replicas. Measured at the emulator, on arrival: per group, a window
// over the mean time from each arrival to its Count-th successor (2 s
// after the start to 2 s before the end, see condArrivals), and beside it
// the accepted calls over the run against quota × run time (first second
// included); 429s and the busiest window over the whole run.

// replicaGroups are the two saturated groups and the call on each.
var replicaGroups = condGroups[:2]

// BenchmarkReplicas runs 20 runs of 10 s (-short: 3 of 3 s), one
// sub-benchmark each, then a "summary" one with the figures over all runs
// (a parent's own log is not printed).
func BenchmarkReplicas(b *testing.B) {
	runs, d := 20, 10*time.Second
	if testing.Short() {
		runs, d = 3, 3*time.Second
	}
	var results []replicaResult
	for i := range runs {
		b.Run(fmt.Sprintf("run=%02d", i+1), func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) {
				res := replicasRun(b, d)
				results = append(results, res)
				b.ReportMetric(100*res.util, "util%")
				b.ReportMetric(100*res.worst, "worst_group_util%")
				b.ReportMetric(float64(res.busiest), "busiest_window")
				b.ReportMetric(float64(res.limited), "429s")
				b.ReportMetric(float64(res.failures), "store_failures")
			})
		})
	}
	if len(results) == 0 {
		return
	}
	b.Run("summary", func(b *testing.B) { replicaSummary(b, results, d) })
}

func replicaSummary(b *testing.B, results []replicaResult, d time.Duration) {
	utils := make([]float64, len(results))
	busiest, limited, bad := 0, 0, 0
	var failures int64
	for i, r := range results {
		utils[i] = r.util
		busiest, limited, failures = max(busiest, r.busiest), limited+r.limited, failures+r.failures
		if r.util < 0.99 || r.limited > 0 || r.busiest > 100 {
			bad++
		}
	}
	slices.Sort(utils)
	b.ReportMetric(100*utils[0], "min_util%")
	b.ReportMetric(100*utils[len(utils)/2], "median_util%")
	b.ReportMetric(float64(busiest), "busiest_window")
	b.ReportMetric(float64(limited), "429s")
	b.ReportMetric(float64(failures), "store_failures")
	b.ReportMetric(float64(bad), "bad_runs")
	b.ReportMetric(0, "ns/op")
	if b.N > 1 {
		return // it takes no time, so the framework asks again with a larger b.N
	}
	b.Logf("%d runs of %v: aggregate utilization min %.2f%%, median %.2f%%, max %.2f%%; busiest window %d/100; %d 429s; %d store failures; %d runs below 99%% or with a 429 or a window above quota",
		len(results), d, 100*utils[0], 100*utils[len(utils)/2], 100*utils[len(utils)-1], busiest, limited, failures, bad)
}

type replicaResult struct {
	util, worst float64 // successor-gap utilization: both groups, worst group
	counted     float64 // accepted ÷ (quota × run time), both groups
	busiest     int     // most calls the server saw in one window, either group
	limited     int     // 429s
	failures    int64   // store errors, all replicas
}

func replicasRun(b *testing.B, d time.Duration) replicaResult {
	rs := redistest.StartServer(b)
	srv := easemobtest.NewServer(b)
	if err := srv.AddUser("alice", "pw"); err != nil {
		b.Fatal(err)
	}
	arr := newCondArrivals(srv, len(replicaGroups), func(r *http.Request) (int, bool) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/users/alice/status"):
			return 1, true // users.get_status
		case strings.HasSuffix(r.URL.Path, "/users/alice"):
			return 0, true // users.get
		}
		return 0, false
	})
	prefix := redistest.Prefix()
	var regs []*ratelimit.Registry
	var clients []*easemob.Client
	for range 4 {
		store := redisstore.New(rs.Client(b), redisstore.WithPrefix(prefix))
		reg := easemob.NewRegistry(ratelimit.WithStore(store, ratelimit.FailurePolicy{Share: 0.25}), ratelimit.WithLogger(engQuietLog))
		regs = append(regs, reg)
		clients = append(clients, engClient(b, srv, reg, option.RetryPolicy{}))
	}

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	start := time.Now()
	for _, c := range clients {
		for _, g := range replicaGroups {
			for range 25 {
				wg.Go(func() {
					for ctx.Err() == nil {
						err := g.call(ctx, c)
						if err != nil && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
							mu.Lock()
							errs = append(errs, g.group+": "+err.Error())
							mu.Unlock()
						}
					}
				})
			}
		}
	}
	wg.Wait()
	took := time.Since(start)
	if len(errs) > 0 {
		b.Errorf("%d calls failed, first: %s", len(errs), errs[0])
	}

	res := replicaResult{worst: 2}
	var accepted, quota float64
	for i, g := range replicaGroups {
		st := srv.Stats(g.group)
		lim := limiterOf(b, clients[0], g.group).Status().Configured[0]
		q := float64(lim.Count) * took.Seconds() / lim.Window.Seconds()
		accepted, quota = accepted+float64(st.Accepted), quota+q
		u := arr.utilization(i, lim, start.Add(condEdge), start.Add(d-condEdge))
		res.util += u / float64(len(replicaGroups))
		res.worst = min(res.worst, u)
		res.busiest = max(res.busiest, st.MaxInWindow[0])
		res.limited += st.RateLimited
		if st.MaxInWindow[0] > lim.Count {
			b.Errorf("%s: the server saw %d in one window, quota %d", g.group, st.MaxInWindow[0], lim.Count)
		}
	}
	res.counted = accepted / quota
	for _, reg := range regs {
		res.failures += reg.StoreFailures()
	}
	b.Logf("%v: %.2f%% of the quota (worst group %.2f%%; counted over the run %.2f%%), busiest window %d, %d 429s, %d store failures",
		took.Round(time.Millisecond), 100*res.util, 100*res.worst, 100*res.counted, res.busiest, res.limited, res.failures)
	return res
}
