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
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: limits}}, ratelimit.WithMargin(0))
	return reg.App("app").At(0)
}

// BenchmarkAcquire measures a grant with quota available. The windows are
// short so that the exact log holds what a real quota holds at most (a few
// thousand entries: no documented count exceeds 6000); a huge count over a
// minute would instead grow a log of every call of the last minute, which
// no real quota allows.
func BenchmarkAcquire(b *testing.B) {
	groups := []struct {
		name   string
		limits []ratelimit.Limit
	}{
		{"one-sided", []ratelimit.Limit{{Count: huge, Window: time.Millisecond}}},
		{"three-sided", []ratelimit.Limit{
			{Count: huge, Window: time.Millisecond, Unit: ratelimit.Calls},
			{Count: huge, Window: 5 * time.Millisecond, Unit: ratelimit.Messages},
			{Count: huge, Window: 5 * time.Millisecond, Unit: ratelimit.Calls, Per: "username"},
		}},
	}
	// One scope value throughout: after the first call its state exists.
	c := ratelimit.Cost{Messages: 3, Scope: "alice"}
	ctx := context.Background()
	// wait is Wait; answered is what every SDK call does: Acquire, then
	// Answered once the answer is in.
	modes := []struct {
		name string
		call func(*ratelimit.Limiter) error
	}{
		{"wait", func(l *ratelimit.Limiter) error { return l.Wait(ctx, c) }},
		{"answered", func(l *ratelimit.Limiter) error {
			g, err := l.Acquire(ctx, c)
			g.Answered()
			return err
		}},
	}
	for _, g := range groups {
		for _, m := range modes {
			b.Run(g.name+"/"+m.name+"/serial", func(b *testing.B) {
				l := benchLimiter(g.limits)
				b.ReportAllocs()
				for b.Loop() {
					if err := m.call(l); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(g.name+"/"+m.name+"/parallel", func(b *testing.B) {
				l := benchLimiter(g.limits)
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := m.call(l); err != nil {
							b.Error(err) // Fatal may not be called off the benchmark goroutine
							return
						}
					}
				})
			})
		}
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
