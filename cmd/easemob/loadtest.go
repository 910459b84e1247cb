package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/sustained"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/ratelimit"
)

func init() {
	addCommand(&command{path: "loadtest", maxArgs: 0, client: true,
		summary: "run a mixed workload at full quota on every group and report rate, 429s and latency",
		help: `Every workload of the mix (one per quota group: --mix users.get,users.list or a
prefix such as users) calls as fast as its group's quota allows for --duration,
against any server that speaks the API (--base-url, or EASEMOB_BASE_URL). It
registers its own users first (names starting with a random prefix). Per group
it prints the rate achieved against the quota over whole windows, the server's
429s, local refusals, latency percentiles (the round trip, quota wait excluded)
and the mean wait for quota; --report writes the same as a self-contained HTML
page with charts. --expect-share 0.99 fails (exit 1) when any group reaches
less, or any 429 came.`,
		setup: func(fs *flag.FlagSet) runner {
			var o loadOptions
			fs.DurationVar(&o.duration, "duration", time.Minute, "how long to run")
			fs.StringVar(&o.mix, "mix", "", "comma-separated group prefixes of the workloads to run (default: every one)")
			fs.IntVar(&o.workers, "workers", 8, "callers per group")
			fs.StringVar(&o.report, "report", "", "write an HTML report to this file")
			fs.Float64Var(&o.expect, "expect-share", 0, "fail unless every group reaches this share of its quota with no 429 (e.g. 0.99)")
			return o.run
		}})
}

type loadOptions struct {
	duration time.Duration
	mix      string
	workers  int
	report   string
	expect   float64
}

// loadRecorder is the run's observer: per group and second, the waits,
// the server's 429s and the local refusals; per call, its wait.
type loadRecorder struct {
	start   time.Time    // set before the workers start, read after they end
	started atomic.Int64 // start in Unix ns for the observer; 0 while setting up
	mu      sync.Mutex
	groups  map[string]*groupLoad
}

type callKey struct{}

// callRecord collects what the observer saw of one call.
type callRecord struct{ wait time.Duration }

func (r *loadRecorder) Observe(ctx context.Context, e observe.Event) {
	g := r.group(e.Group)
	start := r.started.Load()
	if g == nil || start == 0 {
		return // a group outside the mix (the token fetch), or the set-up
	}
	sec := int(time.Since(time.Unix(0, start)) / time.Second)
	g.mu.Lock()
	defer g.mu.Unlock()
	s := g.second(sec)
	switch e.Kind {
	case observe.Acquired:
		if rec, ok := ctx.Value(callKey{}).(*callRecord); ok {
			rec.wait += e.Wait
		}
		s.waitSum += e.Wait
		s.waitMax = max(s.waitMax, e.Wait)
		s.acquired++
	case observe.RateLimited:
		s.rateLimited++
		g.rateLimited++
	case observe.Refused:
		if !errors.Is(e.Err, context.DeadlineExceeded) { // the run's end refuses the last waits
			s.refused++
			g.refused++
		}
	}
}

func (r *loadRecorder) group(name string) *groupLoad {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.groups[name]
}

// groupLoad is what one group's workload did.
type groupLoad struct {
	name    string
	limit   ratelimit.Limit // the App Key calls limit the rate is measured against
	mu      sync.Mutex
	seconds []secondLoad
	answers []time.Duration // since the start, of every answered call
	latency []time.Duration // round trip, quota wait excluded
	waits   []time.Duration
	errors  int
	first   error

	rateLimited, refused int
}

type secondLoad struct {
	answered, acquired, rateLimited, refused int
	waitSum, waitMax                         time.Duration
}

func (g *groupLoad) second(i int) *secondLoad {
	for len(g.seconds) <= i {
		g.seconds = append(g.seconds, secondLoad{})
	}
	return &g.seconds[i]
}

// callsLimit is the rate a saturated workload runs at, as a calls limit:
// the tightest App Key side of its group, a messages side divided by the
// messages each call sends, a per-user side multiplied by the users the
// workload spreads over.
func callsLimit(lim *ratelimit.Limiter, w workload) (ratelimit.Limit, bool) {
	var best ratelimit.Limit
	found := false
	for _, l := range lim.Limits() {
		switch {
		case l.Per != "" && w.scopes > 0:
			l.Count *= w.scopes
		case l.Per != "":
			continue
		case l.Unit == ratelimit.Messages:
			l.Count /= max(w.messages, 1)
		}
		l.Unit, l.Per = ratelimit.Calls, ""
		if !found || float64(l.Count)/l.Window.Seconds() < float64(best.Count)/best.Window.Seconds() {
			best, found = l, true
		}
	}
	return best, found
}

func (o *loadOptions) run(ctx context.Context, x *call) error {
	mix, err := selectWorkloads(o.mix)
	if err != nil {
		return err
	}
	if o.duration <= 0 || o.workers <= 0 {
		return usagef("--duration and --workers must be positive")
	}
	rec := &loadRecorder{groups: map[string]*groupLoad{}}
	c, err := x.conn.client(rec)
	if err != nil {
		return err
	}
	for _, w := range mix {
		lim, err := c.Limiter(w.group)
		if err != nil {
			return err
		}
		l, ok := callsLimit(lim, w)
		if !ok {
			return fmt.Errorf("group %s has no calls limit per App Key to measure against", w.group)
		}
		rec.groups[w.group] = &groupLoad{name: w.group, limit: l}
	}
	prefix := fmt.Sprintf("lt%05d", rand.IntN(100000))
	fmt.Fprintf(x.stderr, "loadtest: %d groups for %s against %s (users %s*)\n", len(mix), o.duration, x.conn.settings.BaseURL, prefix)
	f, err := newFixture(ctx, c, prefix)
	if err != nil {
		return fmt.Errorf("setting up: %w", err)
	}
	for _, w := range mix {
		if w.setup == nil {
			continue
		}
		g := rec.groups[w.group]
		calls := int(math.Ceil(float64(g.limit.Count)/g.limit.Window.Seconds()*(o.duration.Seconds()+1)*1.1)) + g.limit.Count
		if err := w.setup(ctx, f, calls); err != nil {
			return fmt.Errorf("setting up %s: %w", w.group, err)
		}
	}
	// The set-up's calls leave every window before the clock starts, so
	// that each group starts with its whole quota.
	settle := time.Duration(0)
	for _, g := range rec.groups {
		settle = max(settle, g.limit.Window)
	}
	select {
	case <-time.After(min(settle, time.Minute) + 50*time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	rec.start = time.Now()
	rec.started.Store(rec.start.UnixNano())
	runCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var wg sync.WaitGroup
	for _, w := range mix {
		g := rec.groups[w.group]
		var n int64
		var nmu sync.Mutex
		for range o.workers {
			wg.Go(func() {
				for runCtx.Err() == nil {
					nmu.Lock()
					i := int(n)
					n++
					nmu.Unlock()
					cr := &callRecord{}
					t0 := time.Now()
					err := w.call(context.WithValue(runCtx, callKey{}, cr), f, i)
					g.done(rec.start, t0, cr.wait, err)
					if errors.Is(err, context.DeadlineExceeded) {
						// The run is over, or its quota opens only after the
						// end (a minute window spent): asking again would
						// only spin, taking the CPU the other groups need.
						return
					}
				}
			})
		}
	}
	wg.Wait()
	took := time.Since(rec.start)
	rep := buildReport(rec, mix, x.conn.settings, o.duration, took)
	if o.report != "" {
		if err := writeHTMLReport(o.report, rep); err != nil {
			return err
		}
		fmt.Fprintf(x.stderr, "loadtest: report written to %s\n", o.report)
	}
	if x.out.json {
		if err := x.out.print(rep); err != nil {
			return err
		}
	} else if err := x.out.print(rep.table()); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return rep.check(o.expect)
}

// done records one finished call.
func (g *groupLoad) done(start, t0 time.Time, wait time.Duration, err error) {
	now := time.Now()
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return // cut by the run's end: no answer to count
	}
	var wait429 *easemob.Error
	rateLimited := errors.As(err, &wait429) && wait429.RateLimited()
	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil && !rateLimited && !errors.Is(err, easemob.ErrRateLimited) {
		g.errors++
		if g.first == nil {
			g.first = err
		}
	}
	if rateLimited || errors.Is(err, easemob.ErrRateLimited) {
		return // counted by the observer
	}
	at := now.Sub(start)
	g.answers = append(g.answers, at)
	g.latency = append(g.latency, max(0, now.Sub(t0)-wait))
	g.waits = append(g.waits, wait)
	g.second(int(at/time.Second)).answered++
}

func ignoreNotFound(err error) error {
	if errors.Is(err, easemob.ErrNotFound) {
		return nil
	}
	return err
}

// loadReport is the load test's result.
type loadReport struct {
	BaseURL  string        `json:"base_url"`
	AppKey   string        `json:"app_key"`
	Started  time.Time     `json:"started"`
	Duration float64       `json:"duration_s"`
	Groups   []groupResult `json:"groups"`
}

type groupResult struct {
	Group string `json:"group"`
	// Quota is the calls limit measured against, as the docs write it.
	Quota     string  `json:"quota"`
	QuotaRate float64 `json:"quota_per_s"`
	Calls     int     `json:"calls"`
	// Rate is the calls answered per second over the whole windows from
	// the group's first answer; Share is Rate over QuotaRate.
	Rate        float64  `json:"rate_per_s"`
	Share       float64  `json:"share"`
	RateLimited int      `json:"rate_limited"`
	Refused     int      `json:"refused"`
	Errors      int      `json:"errors"`
	FirstError  string   `json:"first_error,omitempty"`
	P50         float64  `json:"latency_p50_ms"`
	P90         float64  `json:"latency_p90_ms"`
	P99         float64  `json:"latency_p99_ms"`
	Max         float64  `json:"latency_max_ms"`
	WaitMean    float64  `json:"wait_mean_ms"`
	WaitP99     float64  `json:"wait_p99_ms"`
	Series      []second `json:"series"`
}

// second is one second of a group's run.
type second struct {
	T           int     `json:"t"`
	Answered    int     `json:"answered"`
	RateLimited int     `json:"rate_limited"`
	Refused     int     `json:"refused"`
	WaitMean    float64 `json:"wait_mean_ms"`
	WaitMax     float64 `json:"wait_max_ms"`
}

func buildReport(rec *loadRecorder, mix []workload, s settings, d, took time.Duration) loadReport {
	rep := loadReport{BaseURL: s.BaseURL, AppKey: s.AppKey, Started: rec.start, Duration: took.Seconds()}
	for _, w := range mix {
		g := rec.groups[w.group]
		g.mu.Lock()
		r := groupResult{Group: g.name, Quota: g.limit.String(), QuotaRate: float64(g.limit.Count) / g.limit.Window.Seconds(),
			Calls: len(g.answers), RateLimited: g.rateLimited, Refused: g.refused, Errors: g.errors}
		if g.first != nil {
			r.FirstError = g.first.Error()
		}
		r.Rate = sustainedRate(g.answers, g.limit, d)
		r.Share = r.Rate / r.QuotaRate
		lat := slices.Clone(g.latency)
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		r.P50, r.P90, r.P99, r.Max = ms(pct(lat, 0.5)), ms(pct(lat, 0.9)), ms(pct(lat, 0.99)), ms(pct(lat, 1))
		waits := slices.Clone(g.waits)
		sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
		var sum time.Duration
		for _, w := range waits {
			sum += w
		}
		if len(waits) > 0 {
			r.WaitMean = ms(sum / time.Duration(len(waits)))
		}
		r.WaitP99 = ms(pct(waits, 0.99))
		for i, s := range g.seconds {
			if time.Duration(i)*time.Second >= d {
				break // the tail after the end holds only the last answers
			}
			pt := second{T: i, Answered: s.answered, RateLimited: s.rateLimited, Refused: s.refused, WaitMax: ms(s.waitMax)}
			if s.acquired > 0 {
				pt.WaitMean = ms(s.waitSum / time.Duration(s.acquired))
			}
			r.Series = append(r.Series, pt)
		}
		g.mu.Unlock()
		rep.Groups = append(rep.Groups, r)
	}
	return rep
}

// sustainedRate is the rate a saturating client keeps up. With three windows
// or more in the run it is Count over the answers' successor gap
// (sustained.Gap), leaving the first and last window out. A shorter run
// counts the answers of the whole windows from the first answer; a window
// longer than the run counts as one, as its whole quota may go at once.
func sustainedRate(answers []time.Duration, lim ratelimit.Limit, end time.Duration) float64 {
	if len(answers) == 0 {
		return 0
	}
	at := slices.Clone(answers)
	slices.Sort(at)
	window := lim.Window
	if end >= 3*window {
		if gap, ok := sustained.Gap(at, lim.Count, window, end-window); ok {
			return float64(lim.Count) / gap.Seconds()
		}
	}
	t0 := at[0]
	k := max((end-t0)/window, 1)
	stop := t0 + k*window
	n := 0
	for _, a := range at {
		if a < stop {
			n++
		}
	}
	return float64(n) / (float64(k) * window.Seconds())
}

func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*100) / 100 }

// tableRow is a group as the text report shows it.
type tableRow struct {
	Group   string `json:"group"`
	Quota   string `json:"quota"`
	Calls   int    `json:"calls"`
	Rate    string `json:"rate"`
	OfQuota string `json:"of_quota"`
	R429    int    `json:"429s"`
	Refused int    `json:"refused"`
	Errors  int    `json:"errors"`
	P50     string `json:"p50"`
	P90     string `json:"p90"`
	P99     string `json:"p99"`
	Wait    string `json:"mean_wait"`
}

func (r loadReport) table() []tableRow {
	out := make([]tableRow, len(r.Groups))
	for i, g := range r.Groups {
		out[i] = tableRow{Group: g.Group, Quota: g.Quota, Calls: g.Calls, Rate: fmt.Sprintf("%.1f/s", g.Rate),
			OfQuota: fmt.Sprintf("%.1f%%", 100*g.Share), R429: g.RateLimited, Refused: g.Refused, Errors: g.Errors,
			P50: fmt.Sprintf("%.1fms", g.P50), P90: fmt.Sprintf("%.1fms", g.P90), P99: fmt.Sprintf("%.1fms", g.P99),
			Wait: fmt.Sprintf("%.1fms", g.WaitMean)}
	}
	return out
}

// check fails a run below the expected share of any quota, or with a 429
// or an error, when a share is expected.
func (r loadReport) check(expect float64) error {
	if expect <= 0 {
		return nil
	}
	var bad []string
	for _, g := range r.Groups {
		switch {
		case g.RateLimited > 0:
			bad = append(bad, fmt.Sprintf("%s: %d 429s", g.Group, g.RateLimited))
		case g.Errors > 0:
			bad = append(bad, fmt.Sprintf("%s: %d errors (%s)", g.Group, g.Errors, g.FirstError))
		case g.Share < expect:
			bad = append(bad, fmt.Sprintf("%s: %.2f%% of its quota", g.Group, 100*g.Share))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("loadtest below expectations: %v", bad)
	}
	return nil
}
