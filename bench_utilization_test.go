package easemob_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// BenchmarkUtilization saturates users.get (100 calls/s) with 1000
// goroutines for 30 s against the emulator (sliding-window server) and
// reports how much of the quota reached the server.
//
// Utilization is measured at the server, on the arrival times of the calls
// it accepted.
// t0 is the first arrival. The first window [t0, t0+W) is left out: it is a
// one-off (a client may burst up to Count there; this one paces it) and says
// nothing about what a long job gets. The tail is cut by the run's deadline.
//
//   - util% = arrivals in [t0+W, t0+W+K·W) ÷ (K·Count), K the whole windows
//     that end before the last arrival: the sustained whole windows.
//   - util_slope% = the least-squares slope of arrival number against arrival
//     time over the same span, ÷ (Count/W). The SDK lets a burst of up to 10
//     calls out at once each period, so a count over fixed windows is off by
//     up to ±10/(K·Count) (±0.36% here) depending on where the bursts fall;
//     the slope is the sustained rate without that phase error.
//
// SDK calls count until one window after their answer, so the margin (for
// grants whose answer the limiter never hears of) should not matter: the
// margin=0 run shows that it does not.
func BenchmarkUtilization(b *testing.B) {
	for _, v := range []struct {
		name string
		opts []ratelimit.Option
	}{
		{"default", nil},
		{"margin=0", []ratelimit.Option{ratelimit.WithMargin(0)}},
	} {
		b.Run(v.name, func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) { engUtilization(b, v.opts, 1000, 30*time.Second) })
		})
	}
}

func engUtilization(b *testing.B, opts []ratelimit.Option, callers int, d time.Duration) {
	emu := easemobtest.New()
	if err := emu.AddUser("alice", "pw"); err != nil {
		b.Fatal(err)
	}
	// Wrap the emulator's handler to log each users.get arrival with its
	// answer: arrival times at the server, and when the 429s came.
	var mu sync.Mutex
	var arrivals, refusals []time.Time
	path := "/" + strings.Replace(emu.AppKey(), "#", "/", 1) + "/users/alice"
	h := emu.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != path {
			h.ServeHTTP(w, r)
			return
		}
		now := time.Now()
		rec := &engStatus{ResponseWriter: w, code: http.StatusOK}
		h.ServeHTTP(rec, r)
		mu.Lock()
		if rec.code == http.StatusTooManyRequests {
			refusals = append(refusals, now)
		} else {
			arrivals = append(arrivals, now)
		}
		mu.Unlock()
	}))
	defer ts.Close()
	c, err := easemob.New(easemob.Config{
		BaseURL: ts.URL, AppKey: emu.AppKey(), ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		Registry: easemob.NewRegistry(opts...),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	lim := limiterOf(b, c, easemob.GroupUsersGet).Limits()[0]

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for ctx.Err() == nil {
				_, err := c.Users.Get(ctx, "alice")
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					return // the run is over; the deadline refused the wait
				default:
					failed.Add(1)
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	mu.Lock()
	at := append([]time.Time(nil), arrivals...)
	refused := append([]time.Time(nil), refusals...)
	mu.Unlock()
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	if len(at) < 2 {
		b.Fatal("no calls reached the server")
	}
	var refusedAt []string // offsets from the first arrival, for the log
	for _, t := range refused {
		refusedAt = append(refusedAt, t.Sub(at[0]).Round(time.Millisecond).String())
	}
	w := lim.Window
	t0, last := at[0], at[len(at)-1]
	k := int((last.Sub(t0) - w) / w)
	from, to := t0.Add(w), t0.Add(w+time.Duration(k)*w)
	n := 0
	var sumT, sumI, sumTT, sumTI float64
	for _, t := range at {
		if !t.Before(from) && t.Before(to) {
			// Regress the running count on time (seconds since from).
			x, y := t.Sub(from).Seconds(), float64(n)
			sumT, sumI, sumTT, sumTI = sumT+x, sumI+y, sumTT+x*x, sumTI+x*y
			n++
		}
	}
	// The shape of the stream: the longest silence between two arrivals and
	// the most arrivals within 1 ms (the SDK's paced bursts).
	var gap time.Duration
	burst, j := 0, 0
	for i := 1; i < len(at); i++ {
		if at[i].Before(from) || !at[i].Before(to) {
			continue
		}
		gap = max(gap, at[i].Sub(at[i-1]))
		for at[i].Sub(at[j]) >= time.Millisecond {
			j++
		}
		burst = max(burst, i-j+1)
	}
	// The tightest span of Count+1 accepted arrivals: above W, no server
	// window ever held more than Count.
	tightest := time.Duration(1<<63 - 1)
	for i := 0; i+lim.Count < len(at); i++ {
		tightest = min(tightest, at[i+lim.Count].Sub(at[i]))
	}
	fn := float64(n)
	slope := (fn*sumTI - sumT*sumI) / (fn*sumTT - sumT*sumT) // calls per second
	util := float64(n) / float64(k*lim.Count)
	utilSlope := slope / (float64(lim.Count) / w.Seconds())

	st := emu.Stats(easemob.GroupUsersGet)
	b.ReportMetric(100*util, "util%")
	b.ReportMetric(100*utilSlope, "util_slope%")
	b.ReportMetric(float64(emu.TotalRateLimited()), "429s")
	b.ReportMetric(float64(st.MaxInWindow[0]), "max_in_window")
	b.ReportMetric(float64(lim.Count), "quota")
	b.ReportMetric(engMs(gap), "max_gap_ms")
	b.ReportMetric(engMs(tightest), "tightest_ms")
	b.ReportMetric(float64(burst), "max_per_ms")
	if len(refusedAt) > 0 {
		b.Logf("429s at %v after the first arrival", refusedAt)
	}
	b.Logf("%d callers, %v: %d calls ok, %d failed; %d accepted arrivals, %d in %d sustained windows → util %.2f%% (slope %.2f%%); "+
		"429s %d; server's busiest %v window %d of %d; %d arrivals spanned at least %.2f ms; longest gap %.1f ms, most arrivals within 1 ms %d",
		callers, d, ok.Load(), failed.Load(), len(at), n, k, 100*util, 100*utilSlope,
		emu.TotalRateLimited(), w, st.MaxInWindow[0], lim.Count, lim.Count+1, engMs(tightest), engMs(gap), burst)
}

// engStatus records the status a handler answers with.
type engStatus struct {
	http.ResponseWriter
	code int
}

func (s *engStatus) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}
