// Command quickstart registers and reads a few thousand users as fast as the
// quotas allow and prints, per quota group, the rate it achieved against the
// quota and the number of 429s (which should be zero).
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a server.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/users"
)

func main() {
	n := flag.Int("users", 2500, "accounts to register one by one, then read back")
	workers := flag.Int("workers", 64, "concurrent callers per phase")
	flag.Parse()

	cfg, emu, stop := exampleenv.Config()
	defer stop()
	c, err := easemob.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	prefix := fmt.Sprintf("qs%d-", time.Now().Unix()%100000)
	fmt.Printf("registering %d users and reading each back through %s with %d workers per phase\n", *n, cfg.BaseURL, *workers)
	start := time.Now()
	meters := run(ctx, c, prefix, *n, *workers)
	fmt.Printf("done in %s\n\n", time.Since(start).Round(time.Millisecond))
	report(c, emu, meters)
}

// run registers users one by one (group users.account_write) and, as each
// is created, reads it back (group users.get); the two groups have separate
// budgets, so both phases run at once at their own quota.
func run(ctx context.Context, c *easemob.Client, prefix string, n, workers int) map[string]*meter {
	meters := map[string]*meter{easemob.GroupUsersAccountWrite: {}, easemob.GroupUsersGet: {}}
	names := make(chan string, n)
	created := make(chan string, n)
	for i := range n {
		names <- fmt.Sprintf("%s%05d", prefix, i)
	}
	close(names)

	var reg, get sync.WaitGroup
	for range workers {
		reg.Go(func() {
			for name := range names {
				_, err := c.Users.Register(ctx, users.NewUser{Username: name, Password: "secret-" + name})
				meters[easemob.GroupUsersAccountWrite].done(err)
				if err == nil {
					created <- name
				}
			}
		})
		get.Go(func() {
			for name := range created {
				_, err := c.Users.Get(ctx, name)
				meters[easemob.GroupUsersGet].done(err)
			}
		})
	}
	reg.Wait()
	close(created)
	get.Wait()
	return meters
}

// meter records when each call of a group finished.
type meter struct {
	mu     sync.Mutex
	times  []time.Time
	errors int
	first  error
}

func (m *meter) done(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.errors++
		if m.first == nil {
			m.first = err
		}
		return
	}
	m.times = append(m.times, time.Now())
}

// sustained is the rate over the whole windows after the first call: with a
// saturating limiter every such window holds exactly the quota.
func (m *meter) sustained(window time.Duration) float64 {
	if len(m.times) < 2 {
		return 0
	}
	t0, last := m.times[0], m.times[len(m.times)-1]
	k := last.Sub(t0) / window
	if k < 1 {
		return 0
	}
	end := t0.Add(k * window)
	count := 0
	for _, t := range m.times {
		if t.Before(end) {
			count++
		}
	}
	return float64(count) / (float64(k) * window.Seconds())
}

func report(c *easemob.Client, emu *easemobtest.Emulator, meters map[string]*meter) {
	w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "group\tcalls\terrors\tquota\tsustained rate\tof quota\t429s\tbusiest window at server")
	for _, s := range c.Stats() {
		lim := s.Limiter.Configured[0]
		quota := float64(lim.Count) / lim.Window.Seconds()
		busiest := "n/a"
		if emu != nil {
			busiest = fmt.Sprintf("%d / %d", emu.Stats(s.Group).MaxInWindow[0], lim.Count)
		}
		rate, share, errs := "-", "-", 0
		if m := meters[s.Group]; m != nil {
			r := m.sustained(lim.Window)
			rate, share, errs = fmt.Sprintf("%.1f/s", r), fmt.Sprintf("%.1f%%", 100*r/quota), m.errors
			if m.first != nil {
				defer fmt.Printf("first error in %s: %v\n", s.Group, m.first)
			}
		}
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\t%d\t%s\n", s.Group, s.Sent, errs, lim, rate, share, s.RateLimited, busiest)
	}
	_ = w.Flush() // a terminal that cannot be written to has no one to tell
}
