package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

// Issue 9: the engine under the conditions a service meets. Ten user-API
// groups (100 calls/s each) are saturated at once, each by its own callers,
// against the emulator with a round trip injected on both legs (jittered,
// with a slow tail), and the figures are counted at the emulator: accepted
// calls per group over the run against the quota, its 429s, and the
// busiest window it saw.

// condGroups are the ten saturated groups and the call that draws on each.
var condGroups = []struct {
	group string
	call  func(ctx context.Context, c *easemob.Client) error
}{
	{easemob.GroupUsersGet, func(ctx context.Context, c *easemob.Client) error { _, err := c.Users.Get(ctx, "alice"); return err }},
	{easemob.GroupUsersGetStatus, func(ctx context.Context, c *easemob.Client) error { _, err := c.Users.Online(ctx, "alice"); return err }},
	{easemob.GroupUsersGetOfflineMsgCount, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.OfflineMessageCount(ctx, "alice")
		return err
	}},
	{easemob.GroupUsersGetOfflineMsgStatus, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.OfflineMessageStatus(ctx, "alice", "123")
		return err
	}},
	{easemob.GroupUsersListResources, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.Devices(ctx, "alice")
		return err
	}},
	{easemob.GroupUsersDisconnect, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.Disconnect(ctx, "alice")
		return err
	}},
	{easemob.GroupUsersChangePassword, func(ctx context.Context, c *easemob.Client) error {
		return c.Users.ChangePassword(ctx, "alice", "pw")
	}},
	{easemob.GroupUsersActivate, func(ctx context.Context, c *easemob.Client) error { return c.Users.Activate(ctx, "alice") }},
	{easemob.GroupUsersGetStatusBatch, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.OnlineBatch(ctx, []string{"alice", "bob"})
		return err
	}},
	{easemob.GroupUsersList, func(ctx context.Context, c *easemob.Client) error {
		_, err := c.Users.List(ctx, users.ListParams{Limit: 1})
		return err
	}},
}

// condLatency draws each leg as base ± 50%, and one request in 100 is
// four times slower: a real host's round trip.
func condLatency(base time.Duration) func() (time.Duration, time.Duration) {
	leg := func() time.Duration {
		d := base/2 + time.Duration(rand.Int64N(int64(base)+1))
		if rand.IntN(100) == 0 {
			d *= 4
		}
		return d
	}
	return func() (time.Duration, time.Duration) {
		if base == 0 {
			return 0, 0
		}
		return leg(), leg()
	}
}

// BenchmarkConditions: ten groups at once, one-way latency 0, 10, 25 and
// 50 ms (round trips of 0, 20, 50 and 100 ms), sliding-window and
// fixed-window servers.
func BenchmarkConditions(b *testing.B) {
	d := 30 * time.Second
	if testing.Short() {
		d = 3 * time.Second
	}
	for _, alg := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow} {
		for _, leg := range []time.Duration{0, 10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond} {
			b.Run(fmt.Sprintf("%v/rtt=%v", alg, 2*leg), func(b *testing.B) {
				engRunOnce(b, func(b *testing.B) { condRun(b, alg, leg, 60, d) })
			})
		}
	}
}

func condRun(b *testing.B, alg easemobtest.Algorithm, leg time.Duration, callers int, d time.Duration) {
	srv := easemobtest.NewServer(b, easemobtest.WithAlgorithm(alg), easemobtest.WithLatencyFunc(condLatency(leg)))
	for _, u := range []string{"alice", "bob"} {
		if err := srv.AddUser(u, "pw"); err != nil {
			b.Fatal(err)
		}
	}
	c := engClient(b, srv, easemob.NewRegistry(), option.RetryPolicy{})
	groups := condGroups
	ctx := context.Background()
	for _, g := range groups { // token and connections, outside the measure
		if err := g.call(ctx, c); err != nil {
			b.Fatal(g.group, err)
		}
	}
	srv.ResetStats()
	run, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	for _, g := range groups {
		for range callers {
			wg.Go(func() {
				for run.Err() == nil {
					if err := g.call(run, c); err != nil && !errors.Is(err, context.DeadlineExceeded) && run.Err() == nil {
						mu.Lock()
						errs = append(errs, g.group+": "+err.Error())
						mu.Unlock()
						return
					}
				}
			})
		}
	}
	wg.Wait()
	took := time.Since(start)
	if len(errs) > 0 {
		b.Errorf("%d callers failed, first: %s", len(errs), errs[0])
	}
	var lines []string
	worst, total429 := 2.0, 0
	for _, g := range groups {
		st := srv.Stats(g.group)
		lim := limiterOf(b, c, g.group).Limits()[0]
		util := float64(st.Accepted) / (float64(lim.Count) * took.Seconds() / lim.Window.Seconds())
		worst = min(worst, util)
		total429 += st.RateLimited
		lines = append(lines, fmt.Sprintf("%s %.2f%% (busiest %d/%d, 429s %d)", g.group, 100*util, st.MaxInWindow[0], lim.Count, st.RateLimited))
		if st.MaxInWindow[0] > lim.Count {
			b.Errorf("%s: the server saw %d in one window, quota %d", g.group, st.MaxInWindow[0], lim.Count)
		}
	}
	sort.Strings(lines)
	b.ReportMetric(100*worst, "worst_util%")
	b.ReportMetric(float64(total429), "429s")
	b.Logf("%v server, one-way latency %v±50%% (1%% x4), %d groups x %d callers, %v:\n  %s",
		alg, leg, len(groups), callers, took.Round(time.Millisecond), strings.Join(lines, "\n  "))
}
