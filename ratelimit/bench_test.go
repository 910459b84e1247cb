package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/emquota/easemob/ratelimit"
)

// huge keeps quota always available, so the benchmarks measure the cost of
// the bookkeeping, not waiting.
const huge = 1 << 30

func benchLimiter(limits []ratelimit.Limit) *ratelimit.Limiter {
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}})
	return reg.App("app").At(0)
}

func BenchmarkAcquire(b *testing.B) {
	groups := []struct {
		name   string
		limits []ratelimit.Limit
	}{
		{"one-sided", []ratelimit.Limit{{Count: huge, Window: time.Second}}},
		{"three-sided", []ratelimit.Limit{
			{Count: huge, Window: time.Second, Unit: ratelimit.Calls},
			{Count: huge, Window: time.Minute, Unit: ratelimit.Messages},
			{Count: huge, Window: time.Minute, Unit: ratelimit.Calls, Per: "username"},
		}},
		// The same sides over millisecond windows: the exact log then holds
		// a few thousand entries and reuses its buffers, which isolates the
		// acquisition path from the growth of a log that must keep every
		// call of the last minute.
		{"three-sided-short", []ratelimit.Limit{
			{Count: huge, Window: time.Millisecond, Unit: ratelimit.Calls},
			{Count: huge, Window: 5 * time.Millisecond, Unit: ratelimit.Messages},
			{Count: huge, Window: 5 * time.Millisecond, Unit: ratelimit.Calls, Per: "username"},
		}},
	}
	// One scope value throughout: after the first call its state exists.
	c := ratelimit.Cost{Messages: 3, Scope: "alice"}
	ctx := context.Background()
	for _, g := range groups {
		b.Run(g.name+"/serial", func(b *testing.B) {
			l := benchLimiter(g.limits)
			b.ReportAllocs()
			for b.Loop() {
				if err := l.Wait(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(g.name+"/parallel", func(b *testing.B) {
			l := benchLimiter(g.limits)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := l.Wait(ctx, c); err != nil {
						b.Error(err) // Fatal may not be called off the benchmark goroutine
						return
					}
				}
			})
		})
	}
}

// BenchmarkBareRate is the yardstick: x/time/rate's Wait with quota always
// available, unlimited (Inf) and with a finite rate that does token math.
func BenchmarkBareRate(b *testing.B) {
	ctx := context.Background()
	for _, r := range []struct {
		name  string
		limit rate.Limit
	}{{"inf", rate.Inf}, {"finite", rate.Limit(huge)}} {
		b.Run(r.name+"/serial", func(b *testing.B) {
			l := rate.NewLimiter(r.limit, huge)
			b.ReportAllocs()
			for b.Loop() {
				if err := l.Wait(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(r.name+"/parallel", func(b *testing.B) {
			l := rate.NewLimiter(r.limit, huge)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := l.Wait(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
