package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// BenchmarkPriority saturates users.get (100 calls/s) with a bulk job of
// 200 goroutines while 5 interactive goroutines call the same group, each
// pausing ~50 ms (40–60 ms) between calls, and reports the latency of the
// interactive calls (wait for quota plus the request) and their time to
// the server (the wait for quota plus the send: the request's arrival at
// the emulator less the call's start):
//
//   - bulk-lane: the job runs with ratelimit.WithPriority(ctx, ratelimit.Bulk);
//   - same-lane: the job runs in the default (interactive) lane, as code
//     that does not mark it would;
//   - no-job: the interactive callers alone: request latency plus their
//     own queueing, the floor for the other two;
//   - bulk-lane/pause=250ms: as bulk-lane with the interactive callers
//     pausing 240–260 ms (20 calls/s in all), so that they cannot queue
//     behind one another: what is left is the wait the bulk job causes.
//
// The job saturates the group for 1 s before the interactive callers start,
// then both run for 10 s.
func BenchmarkPriority(b *testing.B) {
	for _, v := range []struct {
		name  string
		bulk  int
		lane  ratelimit.Priority
		pause time.Duration
	}{
		{"bulk-lane", 200, ratelimit.Bulk, 50 * time.Millisecond},
		{"same-lane", 200, ratelimit.Interactive, 50 * time.Millisecond},
		{"no-job", 0, ratelimit.Interactive, 50 * time.Millisecond},
		{"bulk-lane/pause=250ms", 200, ratelimit.Bulk, 250 * time.Millisecond},
	} {
		b.Run(v.name, func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) { engPriority(b, v.bulk, v.lane, 5, v.pause, 10*time.Second) })
		})
	}
}

func engPriority(b *testing.B, bulk int, lane ratelimit.Priority, interactive int, pause, d time.Duration) {
	srv := easemobtest.NewServer(b)
	// The job reads alice; interactive caller i reads user i, so that the
	// emulator can stamp the arrival of each caller's one call in flight.
	arrived := make([]atomic.Int64, interactive)
	paths := map[string]int{}
	for i := range interactive {
		name := fmt.Sprintf("user%d", i)
		paths["/users/"+name] = i
		if err := srv.AddUser(name, "pw"); err != nil {
			b.Fatal(err)
		}
	}
	if err := srv.AddUser("alice", "pw"); err != nil {
		b.Fatal(err)
	}
	srv.OnRequest(func(r *http.Request) {
		for suffix, i := range paths {
			if strings.HasSuffix(r.URL.Path, suffix) {
				arrived[i].Store(time.Now().UnixNano())
			}
		}
	})
	c := engClient(b, srv, easemob.NewRegistry(), option.RetryPolicy{})
	if _, err := c.Users.Online(context.Background(), "alice"); err != nil { // token, outside the group
		b.Fatal(err)
	}

	jobCtx, stopJob := context.WithCancel(ratelimit.WithPriority(context.Background(), lane))
	defer stopJob()
	var jobCalls atomic.Int64
	var jobs sync.WaitGroup
	for range bulk {
		jobs.Go(func() {
			for jobCtx.Err() == nil {
				_, err := c.Users.Get(jobCtx, "alice")
				if err == nil {
					jobCalls.Add(1)
				} else if jobCtx.Err() == nil {
					b.Error(err)
					return
				}
			}
		})
	}
	if bulk > 0 {
		time.Sleep(time.Second) // let the job fill the group first
	}

	var mu sync.Mutex
	var lat, toServer []time.Duration
	end := time.Now().Add(d)
	var users sync.WaitGroup
	for i := range interactive {
		users.Go(func() {
			time.Sleep(time.Duration(i) * 10 * time.Millisecond) // stagger the callers
			for time.Now().Before(end) {
				t := time.Now()
				if _, err := c.Users.Get(context.Background(), fmt.Sprintf("user%d", i)); err != nil {
					b.Error(err)
					return
				}
				el := time.Since(t)
				sent := time.Duration(arrived[i].Load() - t.UnixNano())
				mu.Lock()
				lat = append(lat, el)
				toServer = append(toServer, sent)
				mu.Unlock()
				time.Sleep(pause - 10*time.Millisecond + rand.N(20*time.Millisecond))
			}
		})
	}
	users.Wait()
	jobsDone := jobCalls.Load()
	stopJob()
	jobs.Wait()

	if len(lat) == 0 {
		b.Fatal(errors.New("no interactive call completed"))
	}
	p50, p99, worst := engPercentile(lat, 0.50), engPercentile(lat, 0.99), engPercentile(lat, 1)
	s50, s99 := engPercentile(toServer, 0.50), engPercentile(toServer, 0.99)
	b.ReportMetric(engMs(p50), "p50_ms")
	b.ReportMetric(engMs(p99), "p99_ms")
	b.ReportMetric(engMs(worst), "max_ms")
	b.ReportMetric(engMs(s50), "to_server_p50_ms")
	b.ReportMetric(engMs(s99), "to_server_p99_ms")
	b.ReportMetric(float64(len(lat)), "interactive_calls")
	b.ReportMetric(float64(srv.TotalRateLimited()), "429s")
	b.Logf("%d job goroutines (%s lane), %d interactive callers pausing ~%v: %d interactive calls, latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; "+
		"time to the server p50 %.1f ms, p99 %.1f ms; "+
		"job calls %d; 429s %d; server's busiest 1s window %v",
		bulk, lane, interactive, pause, len(lat), engMs(p50), engMs(p99), engMs(worst), engMs(s50), engMs(s99),
		jobsDone, srv.TotalRateLimited(), srv.Stats(easemob.GroupUsersGet).MaxInWindow)
}
