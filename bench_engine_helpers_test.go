package easemob_test

import (
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Helpers of the limiter-engine benchmarks (issue 3). Names carry an "eng"
// prefix so that other bench_*_test.go files of the package cannot clash.

// engHuge is a count no benchmark reaches: a limit of it never binds.
const engHuge = 1 << 30

// engUnbound is a quota that never binds, for the emulator or an override.
func engUnbound(group string) ratelimit.Quota {
	return ratelimit.Quota{Group: group, Limits: []ratelimit.Limit{{Count: engHuge, Window: time.Second}}}
}

// engUnboundRegistry returns a registry whose every group is overridden for
// appKey with a huge count: the SDK limiter is there but never makes a call
// wait. Adaptation is off and its log silenced, so 429s cannot slow it down.
func engUnboundRegistry(appKey string) *ratelimit.Registry {
	reg := easemob.NewRegistry(ratelimit.WithoutAdaptation(), ratelimit.WithLogger(engQuietLog))
	for _, g := range reg.Groups() {
		if err := reg.Override(appKey, engUnbound(g)); err != nil {
			panic(err)
		}
	}
	return reg
}

var engQuietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func engClient(b *testing.B, srv *easemobtest.Server, reg *ratelimit.Registry, retry option.RetryPolicy) *easemob.Client {
	b.Helper()
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: reg, Retry: retry,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	return c
}

// engQuiesce collects garbage and returns it to the OS before a timed run:
// on a 2-core machine a collection or the scavenger working off an earlier
// benchmark's heap (PerUserMemory leaves ~230 MB) delays requests by more
// than the limiter's margin.
func engQuiesce() {
	runtime.GC()
	debug.FreeOSMemory()
}

// engRunOnce runs a long measurement once whatever b.N is (so -benchtime 1x
// and the default benchtime both run it once) and hides the meaningless ns/op.
func engRunOnce(b *testing.B, fn func(b *testing.B)) {
	b.Helper()
	if b.N > 1 {
		b.Logf("b.N = %d: the measurement runs once; figures are per run", b.N)
	}
	engQuiesce()
	fn(b)
	b.ReportMetric(0, "ns/op")
}

// engPercentile returns the p-quantile (0..1) of ds by the nearest-rank rule.
func engPercentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func engMs(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
