package redisstore_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// huge keeps quota always available: the benchmarks measure the round trip
// and the script, not waiting.
const huge = 1 << 30

// benchScopes is how many scope values the per-scope side spreads over.
const benchScopes = 1000

// BenchmarkReserve compares Store.Reserve with redis_rate's Limiter.Allow on
// the same Redis, one-sided and three-sided, at 16 and 256 goroutines. The
// three-sided redis_rate case makes one Allow per side (three round trips,
// and none of the all-or-nothing): that is what redis_rate offers for it.
// The store's deadline is raised to 1 s: at 256 goroutines on a small
// machine the wait for a pooled connection alone can pass 50 ms.
func BenchmarkReserve(b *testing.B) {
	srv := redistest.StartServer(b)
	sides := []struct {
		name   string
		limits []ratelimit.Limit
	}{
		{"one-sided", []ratelimit.Limit{{Count: huge, Window: time.Second}}},
		{"three-sided", []ratelimit.Limit{
			{Count: huge, Window: time.Second},
			{Count: huge, Window: time.Minute, Unit: ratelimit.Messages},
			{Count: huge, Window: time.Minute, Per: "username"},
		}},
	}
	for _, g := range []int{16, 256} {
		for _, sc := range sides {
			b.Run(fmt.Sprintf("%s/store/g=%d", sc.name, g), func(b *testing.B) {
				client, prefix := benchClient(b, srv)
				s := redisstore.New(client, redisstore.WithPrefix(prefix), redisstore.WithTimeout(time.Second))
				units := []int64{1, 3, 1}[:len(sc.limits)]
				measure(b, g, func(ctx context.Context, n int) error {
					r := ratelimit.StoreRequest{
						AppKey: "org#app", Group: "g", Scope: "u" + strconv.Itoa(n%benchScopes),
						Limits: sc.limits, Units: units, Margin: ratelimit.DefaultMargin, Pace: ratelimit.DefaultPace, MaxWait: -1,
					}
					wait, ok, err := s.Reserve(ctx, r)
					if err == nil && (!ok || wait != 0) {
						err = fmt.Errorf("wait %v ok %v with quota to spare", wait, ok)
					}
					return err
				})
			})
			b.Run(fmt.Sprintf("%s/redis_rate/g=%d", sc.name, g), func(b *testing.B) {
				client, prefix := benchClient(b, srv)
				l := redis_rate.NewLimiter(client)
				perSec := redis_rate.PerSecond(huge)
				perMin := redis_rate.PerMinute(huge)
				measure(b, g, func(ctx context.Context, n int) error {
					res, err := l.Allow(ctx, prefix+"calls", perSec)
					if err != nil || len(sc.limits) == 1 {
						return allowed(res, err)
					}
					if err := allowed(l.AllowN(ctx, prefix+"messages", perMin, 3)); err != nil {
						return err
					}
					return allowed(l.Allow(ctx, prefix+"u"+strconv.Itoa(n%benchScopes), perMin))
				})
			})
		}
	}
}

func allowed(res *redis_rate.Result, err error) error {
	if err == nil && res.Allowed == 0 {
		err = fmt.Errorf("refused with quota to spare: %+v", res)
	}
	return err
}

// benchClient returns a fresh client (its own pool) and key prefix; the
// keys go when the benchmark ends, so logs of huge limits do not pile up.
func benchClient(b *testing.B, srv *redistest.Server) (*redis.Client, string) {
	client := srv.Client(b)
	prefix := redistest.Prefix()
	b.Cleanup(func() {
		ctx := context.Background()
		iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		for c := range slices.Chunk(keys, 1000) {
			client.Unlink(ctx, c...)
		}
	})
	return client, prefix
}

// measure runs op on about goroutines goroutines (b.SetParallelism rounds
// to a multiple of GOMAXPROCS) and reports throughput and latency
// percentiles. n numbers the calls of one goroutine.
func measure(b *testing.B, goroutines int, op func(ctx context.Context, n int) error) {
	ctx := context.Background()
	procs := runtime.GOMAXPROCS(0)
	par := max(1, (goroutines+procs-1)/procs)
	b.SetParallelism(par)
	var (
		mu  sync.Mutex
		lat []time.Duration
	)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		mine := make([]time.Duration, 0, 4096)
		for n := 0; pb.Next(); n++ {
			t0 := time.Now()
			if err := op(ctx, n); err != nil {
				b.Error(err) // Fatal may not be called off the benchmark goroutine
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds())
	}
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "ops/s")
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(par*procs), "goroutines")
}

// BenchmarkReserveAlone is one caller at a time: the latency of a call that
// meets no other in its batch, against one redis_rate Allow.
func BenchmarkReserveAlone(b *testing.B) {
	srv := redistest.StartServer(b)
	limits := []ratelimit.Limit{{Count: huge, Window: time.Second}}
	b.Run("store", func(b *testing.B) {
		client, prefix := benchClient(b, srv)
		s := redisstore.New(client, redisstore.WithPrefix(prefix), redisstore.WithTimeout(time.Second))
		r := ratelimit.StoreRequest{
			AppKey: "org#app", Group: "g", Limits: limits, Units: []int64{1},
			Margin: ratelimit.DefaultMargin, Pace: ratelimit.DefaultPace, MaxWait: -1,
		}
		ctx := context.Background()
		for b.Loop() {
			if wait, ok, err := s.Reserve(ctx, r); err != nil || !ok || wait != 0 {
				b.Fatalf("wait %v ok %v err %v with quota to spare", wait, ok, err)
			}
		}
	})
	b.Run("redis_rate", func(b *testing.B) {
		client, prefix := benchClient(b, srv)
		l := redis_rate.NewLimiter(client)
		perSec := redis_rate.PerSecond(huge)
		ctx := context.Background()
		for b.Loop() {
			if err := allowed(l.Allow(ctx, prefix+"calls", perSec)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
