package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// progress draws a job's progress on stderr: a bar redrawn in place on a
// terminal, else a line a second. The ETA comes from the quota: the items
// left, in calls and messages, over the limits the group's limiter keeps
// to now, plus the wait it forecasts for the next call. When the job gets
// clearly less than that (other jobs share the budget), the measured rate
// gives it instead.
type progress struct {
	w     io.Writer
	mode  string // bar, lines or off
	name  string
	total int
	prior int // final before this run
	lim   *ratelimit.Limiter
	chunk int
	units float64 // messages per item, on average
	now   func() time.Time
	every time.Duration

	mu      sync.Mutex
	began   time.Time
	done    int
	failed  int
	unknown int
	samples []sample // completions over the last few seconds
	notes   []string
	stop    chan struct{}
	stopped chan struct{}
}

type sample struct {
	at time.Time
	n  int
}

// rateSpan is how far back the measured rate looks.
const rateSpan = 5 * time.Second

func newProgress(w io.Writer, mode, name string, total, prior int, lim *ratelimit.Limiter, chunk int, units float64) *progress {
	if mode == "auto" {
		mode = "lines"
		if isTerminal(w) {
			mode = "bar"
		}
	}
	every := time.Second
	if mode == "bar" {
		every = 200 * time.Millisecond
	}
	return &progress{w: w, mode: mode, name: name, total: total, prior: prior, lim: lim, chunk: max(chunk, 1),
		units: units, now: time.Now, every: every}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) start() {
	p.began = p.now()
	if p.mode == "off" {
		return
	}
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw(false)
			case <-p.stop:
				return
			}
		}
	}()
}

// add counts one item's outcome.
func (p *progress) add(state string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch state {
	case stDone:
		p.done++
	case stFailed:
		p.failed++
	case stUnknown:
		p.unknown++
	}
}

// note queues a message to print with the next line.
func (p *progress) note(msg string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notes = append(p.notes, msg)
}

func (p *progress) finish() {
	if p.stop != nil {
		close(p.stop)
		<-p.stopped
	}
	if p.mode != "off" {
		p.draw(true)
	}
}

func (p *progress) draw(final bool) {
	line, notes := p.line(p.now())
	switch {
	case p.mode == "bar" && final:
		fmt.Fprintf(p.w, "\r\033[K%s\n", line)
	case p.mode == "bar":
		fmt.Fprintf(p.w, "\r\033[K%s", line)
	default:
		fmt.Fprintln(p.w, line)
	}
	for _, n := range notes {
		fmt.Fprintf(p.w, "%s: %s\n", p.name, n)
	}
}

// line renders the progress at now.
func (p *progress) line(now time.Time) (string, []string) {
	p.mu.Lock()
	finished := p.done + p.failed + p.unknown
	p.samples = append(p.samples, sample{now, finished})
	for len(p.samples) > 2 && now.Sub(p.samples[1].at) >= rateSpan {
		p.samples = p.samples[1:]
	}
	first := p.samples[0]
	notes := p.notes
	p.notes = nil
	failed, unknown := p.failed, p.unknown
	p.mu.Unlock()

	all := p.prior + finished
	share := 1.0
	if p.total > 0 {
		share = float64(all) / float64(p.total)
	}
	const width = 24
	filled := int(share * width)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	if filled < width {
		bar = bar[:filled] + ">" + bar[filled+1:]
	}
	var measured float64
	if span := now.Sub(first.at); span > 0 {
		measured = float64(finished-first.n) / span.Seconds()
	}
	quota := p.quotaRate()
	eta := p.eta(p.total-all, measured, now.Sub(p.began))
	s := fmt.Sprintf("%s [%s] %d/%d %5.1f%%  %.0f items/s (quota %.0f/s)  ETA %s",
		p.name, bar, all, p.total, 100*share, measured, quota, formatETA(eta))
	if failed > 0 || unknown > 0 {
		s += fmt.Sprintf("  failed %d  unknown %d", failed, unknown)
	}
	return s, notes
}

// quotaRate is the items per second the group's limits allow now.
func (p *progress) quotaRate() float64 {
	rate := math.Inf(1)
	for _, l := range p.lim.Limits() {
		if l.Per != "" {
			continue
		}
		per := float64(l.Count) / l.Window.Seconds()
		if l.Unit == ratelimit.Messages {
			rate = min(rate, per/p.units)
		} else {
			rate = min(rate, per*float64(p.chunk))
		}
	}
	if math.IsInf(rate, 1) {
		return 0
	}
	return rate
}

// eta is the time the items left need: from the quota, or from the
// measured rate when the job has run a while clearly below the quota.
func (p *progress) eta(left int, measured float64, ran time.Duration) time.Duration {
	if left <= 0 {
		return 0
	}
	var byQuota time.Duration
	for _, l := range p.lim.Limits() {
		if l.Per != "" {
			continue
		}
		units := math.Ceil(float64(left) / float64(p.chunk)) // calls
		if l.Unit == ratelimit.Messages {
			units = float64(left) * p.units
		}
		byQuota = max(byQuota, time.Duration(units/float64(l.Count)*float64(l.Window)))
	}
	wait, _ := p.lim.Delay(ratelimit.Cost{})
	byQuota += wait
	if ran >= 3*time.Second && measured > 0 && measured < 0.9*p.quotaRate() {
		return time.Duration(float64(left) / measured * float64(time.Second))
	}
	return byQuota
}

func formatETA(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
