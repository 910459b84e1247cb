package redisstore_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

func background(n int) []context.Context {
	ctxs := make([]context.Context, n)
	for i := range ctxs {
		ctxs[i] = context.Background()
	}
	return ctxs
}

// Calls that share a batch are decided in queue order at one instant, each
// as if alone: the in-process limiter, fed the same calls in the same order
// at the server's time of each script, must agree on every one (see twin).
// Two App Keys put two scripts in one pipeline.
func TestBatchMatchesInProcessLimiter(t *testing.T) {
	apps := []string{"org#a", "org#b"}
	tw := newTwin(t, redistest.Start(t), twinLimits, twinPace, apps...)
	for end, batches := time.Now().Add(1500*time.Millisecond), 0; time.Now().Before(end); batches++ {
		n := 1 + tw.rng.IntN(12)
		rs := make([]ratelimit.StoreRequest, n)
		costs := make([]ratelimit.Cost, n)
		for i := range rs {
			costs[i], rs[i] = tw.request(twinLimits, twinPace, apps)
		}
		for i, res := range redisstore.ReserveBatch(tw.s, background(n), rs) {
			require.True(t, res.Sent)
			require.NoError(t, res.Err)
			tw.decided(costs[i], rs[i], res.Now, res.Wait, res.OK, fmt.Sprintf("batch %d, call %d", batches, i))
		}
		tw.settle()
		time.Sleep(time.Duration(tw.rng.Int64N(int64(3 * time.Millisecond))))
	}
	tw.report()
}

// More calls of one App Key than one script takes: the scripts run in
// order, and the limit holds across them.
func TestBatchLongerThanAGroup(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	const count = redisstore.MaxGroup + 10
	r := request([]ratelimit.Limit{{Count: count, Window: time.Minute}}, 1)
	rs := make([]ratelimit.StoreRequest, 2*redisstore.MaxGroup+5)
	for i := range rs {
		rs[i] = r
	}
	for i, res := range redisstore.ReserveBatch(s, background(len(rs)), rs) {
		require.NoError(t, res.Err)
		assert.Equal(t, i < count, res.OK, "call %d", i)
	}
}

// A call whose caller gave up before its batch left is not sent, so it
// spends nothing.
func TestBatchDropsAbandonedCalls(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	r := request([]ratelimit.Limit{{Count: 1, Window: time.Minute}}, 1)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	out := redisstore.ReserveBatch(s, []context.Context{gone, context.Background()}, []ratelimit.StoreRequest{r, r})
	assert.False(t, out[0].Sent)
	require.True(t, out[1].Sent)
	require.NoError(t, out[1].Err)
	assert.True(t, out[1].OK, "the abandoned call took the only unit")
}

// A Redis that lost the script (restart, failover, SCRIPT FLUSH) is sent
// its source, by a batch of one script and by a pipeline of several.
func TestBatchAfterScriptFlush(t *testing.T) {
	ctx := context.Background()
	client := redistest.Start(t)
	s, _ := newStore(client)
	lim := []ratelimit.Limit{{Count: 10, Window: time.Minute}}
	batch := func(apps ...string) {
		t.Helper()
		require.NoError(t, client.ScriptFlush(ctx).Err())
		rs := make([]ratelimit.StoreRequest, len(apps))
		for i, app := range apps {
			rs[i] = request(lim, 1)
			rs[i].AppKey = app
		}
		for i, res := range redisstore.ReserveBatch(s, background(len(rs)), rs) {
			require.NoError(t, res.Err, "call %d", i)
			assert.True(t, res.OK, "call %d", i)
		}
	}
	batch("a", "a")
	batch("a", "b", "c", "b")
}

// On a cluster a batch of several App Keys is a pipeline of scripts in
// different slots, each with keys of its own slot only.
func TestBatchCluster(t *testing.T) {
	s, _ := newStore(redistest.StartCluster(t))
	limits := []ratelimit.Limit{
		{Count: 2, Window: time.Minute},
		{Count: 1, Window: time.Minute, Per: "username"},
	}
	var rs []ratelimit.StoreRequest
	for i := range 3 {
		for _, app := range []string{"a", "b", "c", "d"} {
			r := request(limits, 1, 1)
			r.AppKey, r.Scope = app, "u"+strconv.Itoa(i%2)
			rs = append(rs, r)
		}
	}
	granted := map[string]int{}
	for i, res := range redisstore.ReserveBatch(s, background(len(rs)), rs) {
		require.NoError(t, res.Err, "call %d", i)
		if res.OK {
			granted[rs[i].AppKey]++
		}
	}
	// Per App Key: u0 and u1 once each, then the 2 per minute are spent.
	assert.Equal(t, map[string]int{"a": 2, "b": 2, "c": 2, "d": 2}, granted)
}

// Many goroutines on one store: each call gets its own answer, and the
// count holds exactly.
func TestConcurrentReserve(t *testing.T) {
	for _, c := range []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
	}{
		{"plain", func(t *testing.T) redis.UniversalClient { return redistest.Start(t) }},
		{"cluster", func(t *testing.T) redis.UniversalClient { return redistest.StartCluster(t) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newStore(c.client(t))
			const count, workers, each = 300, 32, 20
			var (
				mu      sync.Mutex
				granted = map[string]int{}
				wg      sync.WaitGroup
			)
			for w := range workers {
				wg.Go(func() {
					for i := range each {
						r := request([]ratelimit.Limit{{Count: count, Window: time.Minute}}, 1)
						r.AppKey = "app" + strconv.Itoa((w+i)%3)
						_, ok, err := s.Reserve(context.Background(), r)
						assert.NoError(t, err)
						if ok {
							mu.Lock()
							granted[r.AppKey]++
							mu.Unlock()
						}
					}
				})
			}
			wg.Wait()
			total := 0
			for app, n := range granted {
				assert.LessOrEqual(t, n, count, app)
				total += n
			}
			assert.Equal(t, workers*each, total, "every call fits: %v", granted)
		})
	}
}
