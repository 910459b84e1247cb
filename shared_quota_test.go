package easemob_test

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// testStoreTimeout bounds each Redis call. The default (50 ms) is ample on
// loopback, but under the race detector a hundred callers on two cores
// stretch a round trip past it, and the test would measure the fallback.
func testStoreTimeout() time.Duration {
	if raceEnabled {
		return 500 * time.Millisecond
	}
	return redisstore.DefaultTimeout
}

// replica is one process of a service: its own registry, Redis client and
// SDK client, sharing the App Key's quota through Redis.
type replica struct {
	reg *ratelimit.Registry
	c   *easemob.Client
	mu  sync.Mutex
	ok  []time.Time // when each call returned successfully
}

func startReplicas(t *testing.T, srv *easemobtest.Server, rs *redistest.Server, n int, policy ratelimit.FailurePolicy) []*replica {
	t.Helper()
	clients := make([]redis.UniversalClient, n)
	for i := range clients {
		clients[i] = rs.Client(t)
	}
	return replicasOn(t, srv, clients, policy)
}

// replicasOn starts one replica on each Redis client.
func replicasOn(t *testing.T, srv *easemobtest.Server, clients []redis.UniversalClient, policy ratelimit.FailurePolicy) []*replica {
	t.Helper()
	prefix := redistest.Prefix()
	out := make([]*replica, len(clients))
	for i, client := range clients {
		store := redisstore.New(client, redisstore.WithPrefix(prefix), redisstore.WithTimeout(testStoreTimeout()))
		reg := easemob.NewRegistry(ratelimit.WithMargin(testMargin()), ratelimit.WithStore(store, policy))
		out[i] = &replica{reg: reg, c: newClient(t, srv, reg)}
	}
	return out
}

// run has callers goroutines per replica call users.get until d has passed.
func runReplicas(t *testing.T, reps []*replica, callers int, d time.Duration, onErr func(error)) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	for _, r := range reps {
		for range callers {
			wg.Go(func() {
				for ctx.Err() == nil {
					_, err := r.c.Users.Get(ctx, "alice")
					switch {
					case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
						return
					case err != nil:
						onErr(err)
						time.Sleep(10 * time.Millisecond)
					default:
						r.mu.Lock()
						r.ok = append(r.ok, time.Now())
						r.mu.Unlock()
					}
				}
			})
		}
	}
	wg.Wait()
}

// TestReplicasShareOneQuotaThroughRedis: four replicas with separate
// registries call one group from a cold start; the emulator never sees
// more than the quota in any window, first second included, and together
// they use at least 98% of it.
func TestReplicasShareOneQuotaThroughRedis(t *testing.T) {
	rs := redistest.StartServer(t)
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	reps := startReplicas(t, srv, rs, 4, ratelimit.FailurePolicy{Share: 0.25})

	const d = 6 * time.Second
	runReplicas(t, reps, 25, d, func(err error) { t.Errorf("unexpected error: %v", err) })

	st := srv.Stats(easemob.GroupUsersGet)
	total := 0
	for _, r := range reps {
		total += len(r.ok)
		assert.Zero(t, r.reg.StoreFailures())
	}
	t.Logf("%d calls in %s from 4 replicas; busiest window at the server %d of 100", total, d, st.MaxInWindow[0])
	assert.Zero(t, st.RateLimited, "no 429")
	assert.LessOrEqual(t, st.MaxInWindow[0], 100, "never above quota in any window")
	// The first window's burst is paced like the rest, and calls count
	// from when the server counted them, so the whole run carries nearly
	// quota × duration.
	if raceEnabled {
		// The race detector slows replicas past the store's deadline at
		// times: the throughput goal is checked by the run without -race
		// (make test runs both).
		return
	}
	want := 0.98 * 100 * d.Seconds()
	assert.GreaterOrEqual(t, float64(total), want, "aggregate at least 98%% of the quota")
}

// TestReplicaLosesRedis: one of four replicas loses its link to Redis for
// 3 s while the others keep theirs. Meanwhile it spends its share (25%)
// on its own, so the server never sees more than 125 in a window; once
// the link heals it goes back to Redis, and from one window after that on
// the server sees at most the quota, with no 429. The flight bound is
// short, so that the cut replica's grants in flight stop holding the
// others back within the cut.
func TestReplicaLosesRedis(t *testing.T) {
	rs := redistest.StartServer(t)
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	link := rs.Proxy(t)
	clients := []redis.UniversalClient{link.Client(t), rs.Client(t), rs.Client(t), rs.Client(t)}
	reps := replicasOn(t, srv, clients, ratelimit.FailurePolicy{Share: 0.25, Flight: 500 * time.Millisecond})
	cut := reps[0]

	var phases sync.WaitGroup
	var during, after easemobtest.GroupStats
	var reset time.Time
	phases.Go(func() {
		time.Sleep(2 * time.Second)
		link.Hold()
		time.Sleep(3 * time.Second)
		during = srv.Stats(easemob.GroupUsersGet)
		link.Heal()
		time.Sleep(time.Second + 200*time.Millisecond) // a window, and the probe
		during.MaxInWindow[0] = max(during.MaxInWindow[0], srv.Stats(easemob.GroupUsersGet).MaxInWindow[0])
		srv.ResetStats()
		reset = time.Now()
	})
	var failed []error
	var mu sync.Mutex
	runReplicas(t, reps, 25, 9*time.Second, func(err error) {
		mu.Lock()
		defer mu.Unlock()
		failed = append(failed, err)
	})
	end := time.Now()
	phases.Wait()
	after = srv.Stats(easemob.GroupUsersGet)

	t.Logf("link cut for 3 s: busiest window %d (429s %d); from a window after it healed: busiest %d, %d accepted, 429s %d; %d store failures on the cut replica",
		during.MaxInWindow[0], during.RateLimited, after.MaxInWindow[0], after.Accepted, after.RateLimited, cut.reg.StoreFailures())
	for _, err := range failed {
		assert.ErrorIs(t, err, ratelimit.ErrRateLimited, "fail-open fails no call but for the server's 429s")
	}
	assert.Positive(t, cut.reg.StoreFailures())
	assert.LessOrEqual(t, during.MaxInWindow[0], 125, "within the quota and the cut replica's share")
	assert.False(t, cut.reg.StoreDown(), "back on Redis")
	assert.LessOrEqual(t, after.MaxInWindow[0], 100, "within the quota once back")
	assert.Zero(t, after.RateLimited)
	for i, r := range reps[1:] {
		assert.Zero(t, r.reg.StoreFailures(), "replica %d kept its link", i+1)
	}
	if !raceEnabled {
		// The 429s of the cut slowed every replica by 10% (adaptation),
		// given back over the next windows.
		assert.GreaterOrEqual(t, float64(after.Accepted), 0.85*100*end.Sub(reset).Seconds(), "the quota is used again")
	}
}

// TestRedisDownFailOpen kills Redis mid-run: calls go on within each
// replica's local share, without hanging.
func TestRedisDownFailOpen(t *testing.T) {
	rs := redistest.StartServer(t)
	if !rs.Owned() {
		t.Skip("REDIS_URL names a server this test may not kill")
	}
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	reps := startReplicas(t, srv, rs, 4, ratelimit.FailurePolicy{Share: 0.25, Retry: 200 * time.Millisecond})
	// Each replica's calls as the server counts them: by arrival, told
	// apart by the token each replica fetched for itself.
	var mu sync.Mutex
	arrivals := map[string][]time.Time{}
	srv.OnRequest(func(r *http.Request) {
		if tok := r.Header.Get("Authorization"); tok != "" {
			at, _ := easemobtest.ArrivedAt(r)
			mu.Lock()
			arrivals[tok] = append(arrivals[tok], at)
			mu.Unlock()
		}
	})

	killed := make(chan time.Time, 1)
	go func() {
		time.Sleep(1500 * time.Millisecond)
		killed <- time.Now()
		assert.NoError(t, rs.Kill())
	}()
	runReplicas(t, reps, 10, 4*time.Second, func(err error) { t.Errorf("fail-open must not fail calls: %v", err) })
	at := <-killed

	// After the fallback took over (one window after the kill), each
	// replica keeps working and stays within its share: 25 per window.
	fallback := at.Add(time.Second + testMargin())
	after := func(ts []time.Time) []time.Time {
		var out []time.Time
		for _, t := range ts {
			if t.After(fallback) {
				out = append(out, t)
			}
		}
		return out
	}
	for i, r := range reps {
		assert.Positive(t, r.reg.StoreFailures(), "replica %d saw the store fail", i)
		assert.NotEmpty(t, after(r.ok), "replica %d kept working", i)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, arrivals, len(reps), "one token per replica")
	for tok, ts := range arrivals {
		assert.LessOrEqual(t, maxPerWindow(after(ts), time.Second), 25, "the replica of token %.12s... within its share", tok)
	}
}

// TestRedisDownFailClosed pauses Redis: calls fail fast with
// ErrStoreUnavailable, and succeed again once Redis answers.
func TestRedisDownFailClosed(t *testing.T) {
	rs := redistest.StartServer(t)
	if !rs.Owned() {
		t.Skip("REDIS_URL names a server this test may not pause")
	}
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	reps := startReplicas(t, srv, rs, 1, ratelimit.FailurePolicy{Retry: 100 * time.Millisecond})
	c := reps[0].c
	ctx := context.Background()
	_, err := c.Users.Get(ctx, "alice")
	require.NoError(t, err)

	require.NoError(t, rs.Pause())
	start := time.Now()
	_, err = c.Users.Get(ctx, "alice")
	assert.ErrorIs(t, err, ratelimit.ErrStoreUnavailable)
	// Three timeouts in a row trip the fallback: bounded, never a hang.
	assert.Less(t, time.Since(start), 3*testStoreTimeout()+time.Second, "a stalled store never hangs a call")
	_, err = c.Users.Get(ctx, "alice") // within the retry period: refused at once
	assert.ErrorIs(t, err, ratelimit.ErrStoreUnavailable)

	require.NoError(t, rs.Resume())
	require.Eventually(t, func() bool {
		_, err := c.Users.Get(ctx, "alice")
		return err == nil
	}, 5*time.Second, 50*time.Millisecond, "calls succeed again once Redis answers")
}

// TestThrottleSlowsEveryReplica: a 429 seen by one replica cuts the rate of
// the others through Redis.
func TestThrottleSlowsEveryReplica(t *testing.T) {
	rs := redistest.StartServer(t)
	srv := easemobtest.NewServer(t)
	reps := startReplicas(t, srv, rs, 2, ratelimit.FailurePolicy{Share: 0.5})
	a := limiterOf(t, reps[0].c, easemob.GroupUsersGet)
	b := limiterOf(t, reps[1].c, easemob.GroupUsersGet)

	a.Throttled()
	require.Eventually(t, func() bool {
		// b admits at most 70% of the App Key's window now.
		n := 0
		for b.Allow(ratelimit.Cost{}) {
			n++
		}
		return n > 0 && n <= 70
	}, 2*time.Second, 20*time.Millisecond)
}

func maxPerWindow(ts []time.Time, w time.Duration) int {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= w {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}
