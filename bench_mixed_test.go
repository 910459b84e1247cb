package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

// engMixedGroup is one part of the mixed job: n calls of one group, made by
// workers goroutines. perScope is the most calls one path value (user ID)
// gets, for the group's per-scope limits.
type engMixedGroup struct {
	group    string
	n        int
	workers  int
	perScope int
}

// engMixedJob is the fixed job: five groups with different quotas, sized so
// that every group but the history file needs about 10 s of its quota.
var engMixedJob = []engMixedGroup{
	{group: easemob.GroupUsersGet, n: 1000, workers: 50},                                // 100/s
	{group: easemob.GroupUsersDeleteBatch, n: 300, workers: 30},                         // 30/s
	{group: easemob.GroupPresenceSetStatus, n: 500, workers: 50},                        // 50/s
	{group: easemob.GroupMessagesGetHistoryFile, n: 2, workers: 2},                      // 10/min
	{group: easemob.GroupConversationsDeleteForUser, n: 1000, workers: 50, perScope: 5}, // 200 users × 5; 5/min per user + 100/s
}

// engMixedIdeal is the shortest makespan of the job, the largest over groups
// and limits of what one limit needs:
//
//   - a window of at most 10 s: n·W/Count, the work at the quota's rate. A
//     client could save up to one window by sending a whole Count at once at
//     the start; the SDK paces such windows on purpose (a burst queues and
//     reaches the server bunched with the next window), so the rate is the
//     fair yardstick.
//   - a longer window: floor((n−1)/Count)·W. These start full and are not
//     paced: the k-th call (from 0) cannot go before floor(k/Count) windows
//     have passed, and one that fits the first window costs nothing.
//
// strict is floor((n−1)/Count)·W for every limit: the bound for a client
// that also spends the initial burst of the short windows.
func engMixedIdeal(job []engMixedGroup) (ideal, strict time.Duration) {
	quotas := map[string][]ratelimit.Limit{}
	for _, q := range easemob.DefaultQuotas() {
		quotas[q.Group] = q.Limits
	}
	for _, g := range job {
		for _, lim := range quotas[g.group] {
			n := g.n
			if lim.Per != "" {
				n = g.perScope
			}
			burst := time.Duration((n-1)/lim.Count) * lim.Window
			paced := burst
			if lim.Window <= 10*time.Second {
				paced = time.Duration(float64(n) / float64(lim.Count) * float64(lim.Window))
			}
			ideal, strict = max(ideal, paced), max(strict, burst)
		}
	}
	return ideal, strict
}

// BenchmarkMixedWorkload runs the same job three ways against a fresh
// emulator (sliding-window server, documented quotas): the SDK's limiter;
// one global x/time/rate limiter at the lowest per-second quota of the job
// with the SDK limiter unbound; no limiter at all with resends on 429.
//
// Ops without a typed method yet (presence, history file, conversations) go
// through internal/core, which the emulator charges to their quota and then
// answers 501, counted as done. They are sent with MaxAttempts 1: the SDK's
// policy would resend a 501 to a GET or DELETE as a retryable 5xx, paying
// quota again. The benchmark resends them itself on 429 only, with the SDK's
// backoff (full jitter over 200 ms doubling to 5 s), as the SDK's policy
// would; typed calls keep the SDK's own policy.
func BenchmarkMixedWorkload(b *testing.B) {
	ideal, strict := engMixedIdeal(engMixedJob)
	for _, s := range []string{"sdk", "global-rate", "no-limiter+retry"} {
		b.Run(s, func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) {
				makespan, rl := engMixed(b, s, engMixedJob)
				b.ReportMetric(makespan.Seconds(), "makespan_s")
				b.ReportMetric(ideal.Seconds(), "ideal_s")
				b.ReportMetric(float64(makespan)/float64(ideal), "x_ideal")
				b.ReportMetric(float64(makespan)/float64(strict), "x_strict")
				b.ReportMetric(float64(rl), "429s")
			})
		})
	}
}

func engMixed(b *testing.B, strategy string, job []engMixedGroup) (time.Duration, int) {
	srv := easemobtest.NewServer(b)
	// DeleteBatch removes the earliest-created users: seed its victims
	// before alice so that she outlives the job.
	deletes := 0
	for _, g := range job {
		if g.group == easemob.GroupUsersDeleteBatch {
			deletes = g.n
		}
	}
	for i := range deletes + 10 {
		if err := srv.AddUser(fmt.Sprintf("victim%05d", i), "pw"); err != nil {
			b.Fatal(err)
		}
	}
	if err := srv.AddUser("alice", "pw"); err != nil {
		b.Fatal(err)
	}

	reg := easemob.NewRegistry()
	retry := option.RetryPolicy{}
	var global *rate.Limiter
	switch strategy {
	case "global-rate":
		reg = engUnboundRegistry(srv.AppKey)
		global = rate.NewLimiter(rate.Limit(engLowestPerSecond(job)), 1)
	case "no-limiter+retry":
		reg = engUnboundRegistry(srv.AppKey)
		retry.MaxAttempts = 1000 // the SDK's backoff, resending until the server takes it
	}
	c := engClient(b, srv, reg, retry)
	raw, err := core.New(core.Options{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Limits: reg.App(srv.AppKey), Retry: option.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// Fetch both tokens outside the job, in a group the job does not use.
	if _, err := c.Users.Online(ctx, "alice"); err != nil {
		b.Fatal(err)
	}
	if err := raw.Do(ctx, &core.Request{Op: catalog.UsersGetStatus, Path: core.P("username", "alice")}); err != nil {
		b.Fatal(err)
	}
	srv.ResetStats()

	rawCall := func(ctx context.Context, r *core.Request) error {
		for attempt := 1; ; attempt++ {
			err := raw.Do(ctx, r)
			var e *easemob.Error
			if errors.As(err, &e) && e.StatusCode == http.StatusNotImplemented {
				return nil // past the quota check: done as far as quota goes
			}
			if !errors.Is(err, easemob.ErrRateLimited) {
				return err
			}
			ceil := min(200*time.Millisecond<<min(attempt-1, 20), 5*time.Second)
			time.Sleep(time.Duration(rand.Int64N(int64(ceil)) + 1))
		}
	}
	calls := map[string]func(ctx context.Context, i int) error{
		easemob.GroupUsersGet: func(ctx context.Context, _ int) error {
			_, err := c.Users.Get(ctx, "alice")
			return err
		},
		easemob.GroupUsersDeleteBatch: func(ctx context.Context, _ int) error {
			_, err := c.Users.DeleteBatch(ctx, users.ListParams{Limit: 1})
			return err
		},
		easemob.GroupPresenceSetStatus: func(ctx context.Context, _ int) error {
			return rawCall(ctx, &core.Request{Op: catalog.PresenceSetStatus, Path: core.P("username", "alice", "resource", "web", "status", "1")})
		},
		easemob.GroupMessagesGetHistoryFile: func(ctx context.Context, i int) error {
			return rawCall(ctx, &core.Request{Op: catalog.MessagesGetHistoryFile, Path: core.P("time", fmt.Sprintf("20250101%02d", i))})
		},
		easemob.GroupConversationsDeleteForUser: func(ctx context.Context, i int) error {
			return rawCall(ctx, &core.Request{Op: catalog.ConversationsDeleteForUser, Path: core.P("username", fmt.Sprintf("conv%04d", i/5))})
		},
	}

	start := time.Now()
	done := make([]time.Duration, len(job))
	var failed atomic.Int64
	var wg sync.WaitGroup
	for gi, g := range job {
		call := calls[g.group]
		var next atomic.Int64
		var mu sync.Mutex
		for range g.workers {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= g.n {
						return
					}
					if global != nil {
						if err := global.Wait(ctx); err != nil {
							b.Error(err)
							return
						}
					}
					if err := call(ctx, i); err != nil {
						failed.Add(1)
						b.Errorf("%s call %d: %v", g.group, i, err)
					}
					el := time.Since(start)
					mu.Lock()
					done[gi] = max(done[gi], el)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	makespan := time.Since(start)

	for gi, g := range job {
		st := srv.Stats(g.group)
		b.Logf("%-32s %4d calls by %2d goroutines: done at %6.2fs; server received %5d, 429s %5d, max in window %v",
			g.group, g.n, g.workers, done[gi].Seconds(), st.Received, st.RateLimited, st.MaxInWindow)
	}
	ideal, strict := engMixedIdeal(job)
	b.Logf("%s: makespan %.2fs = %.3f× ideal %.2fs (%.3f× strict bound %.2fs); 429s %d; failed calls %d",
		strategy, makespan.Seconds(), float64(makespan)/float64(ideal), ideal.Seconds(),
		float64(makespan)/float64(strict), strict.Seconds(), srv.TotalRateLimited(), failed.Load())
	return makespan, srv.TotalRateLimited()
}

// engLowestPerSecond is the lowest per-second App Key quota of the job's
// groups: what a single global limiter must run at to respect every group.
func engLowestPerSecond(job []engMixedGroup) int {
	low := 0
	for _, q := range easemob.DefaultQuotas() {
		for _, g := range job {
			if g.group != q.Group {
				continue
			}
			for _, lim := range q.Limits {
				if lim.Per == "" && lim.Window == time.Second && (low == 0 || lim.Count < low) {
					low = lim.Count
				}
			}
		}
	}
	return low
}
