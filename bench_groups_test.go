package easemob_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/groups"
)

// addMembersRun is one AddMembers call of n names against a fresh
// emulator, refused of which are members before the call.
type addMembersRun struct {
	names   []string
	refused map[string]bool
	res     *batch.Result[string, struct{}]
	err     error
	took    time.Duration
	stats   easemobtest.GroupStats
	ideal   time.Duration
	limit   int
}

// runAddMembers adds n users to one group in a single AddMembers call; the
// first of every 50 names is a member already, so the server leaves it out
// of its new members. leg is the latency added on each way of every call.
func runAddMembers(tb testing.TB, n int, leg time.Duration) *addMembersRun {
	tb.Helper()
	srv := easemobtest.NewServer(tb, easemobtest.WithLatency(leg, leg))
	c, err := easemob.New(easemob.Config{BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, Registry: easemob.NewRegistry()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	names, err := srv.AddUsers(n, "m", "pw")
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.AddUser("owner", "pw"); err != nil {
		tb.Fatal(err)
	}
	run := &addMembersRun{names: names, refused: map[string]bool{}}
	var already []string
	for i := 0; i < n; i += 50 {
		already = append(already, names[i])
		run.refused[names[i]] = true
	}
	ctx := context.Background()
	// Creating the group also fetches the token, outside the measured run.
	id, err := c.Groups.Create(ctx, groups.NewGroup{Owner: "owner", MaxUsers: n + 1, Members: already})
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	run.res, run.err = c.Groups.AddMembers(ctx, id, names)
	run.took = time.Since(start)
	run.stats = srv.Stats(easemob.GroupGroupsAddMembers)
	lim := limiterOf(tb, c, easemob.GroupGroupsAddMembers).Limits()[0]
	calls := (n + 59) / 60
	run.ideal = time.Duration(calls) * lim.Window / time.Duration(lim.Count)
	run.limit = lim.Count
	return run
}

// BenchmarkAddMembers adds 5000 members to one group in one AddMembers
// call (84 server calls of at most 60) with 25 ms added on each way of
// every call, and compares the makespan with the quota-bound time of 84
// calls at the documented 100 calls/s of groups.add_members.
func BenchmarkAddMembers(b *testing.B) {
	engRunOnce(b, func(b *testing.B) {
		run := runAddMembers(b, 5000, 25*time.Millisecond)
		b.ReportMetric(run.took.Seconds(), "makespan_s")
		b.ReportMetric(run.took.Seconds()/run.ideal.Seconds(), "x_ideal")
		b.ReportMetric(float64(run.stats.RateLimited), "429s")
		b.ReportMetric(float64(run.stats.MaxInWindow[0]), "busiest_window")
		b.Logf("%d names in %d calls: makespan %s, quota-bound %s (%.3fx), %d done, %d refused, %d 429s, busiest window %d of %d",
			len(run.names), run.stats.Received, run.took.Round(time.Millisecond), run.ideal, run.took.Seconds()/run.ideal.Seconds(),
			run.res.Count(batch.Done), run.res.Count(batch.Failed), run.stats.RateLimited, run.stats.MaxInWindow[0], run.limit)
		if run.took > run.ideal*11/10 {
			b.Errorf("makespan %s is over 1.1x the quota-bound %s", run.took, run.ideal)
		}
	})
}

// One AddMembers call of 5000 names makes ⌈5000/60⌉ calls within the
// quota and reports every name: done, or refused as a member already.
func TestAddMembersReportsEveryOutcome(t *testing.T) {
	run := runAddMembers(t, 5000, 0)
	var be *batch.Error
	if !errors.As(run.err, &be) {
		t.Fatalf("want a *batch.Error for the refused names, got %v", run.err)
	}
	if len(run.res.Items) != 5000 || be.Done != 4900 || be.Failed != 100 || be.Unknown+be.NotSent != 0 {
		t.Fatalf("%d items: %d done, %d failed, %d unknown, %d not sent", len(run.res.Items), be.Done, be.Failed, be.Unknown, be.NotSent)
	}
	for i, it := range run.res.Items {
		want := batch.Done
		if run.refused[run.names[i]] {
			want = batch.Failed
		}
		if it.Input != run.names[i] || it.Status != want {
			t.Fatalf("item %d: %q %v, want %q %v", i, it.Input, it.Status, run.names[i], want)
		}
		if want == batch.Failed && it.Reason != groups.NotAdded {
			t.Fatalf("item %d: reason %q", i, it.Reason)
		}
	}
	if got := run.stats.Received; got != 84 {
		t.Fatalf("%d server calls, want ⌈5000/60⌉ = 84", got)
	}
	if run.stats.RateLimited != 0 || run.stats.MaxInWindow[0] > run.limit {
		t.Fatalf("%d 429s, busiest window %d of %d", run.stats.RateLimited, run.stats.MaxInWindow[0], run.limit)
	}
}
