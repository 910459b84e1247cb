package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

func init() {
	addCommand(&command{path: "emulate", maxArgs: 0,
		summary: "serve the emulator: any client, in any language, can be tested against it",
		help: `It prints the base URL, App Key and credentials it accepts as EASEMOB_* lines
(eval-able), then serves until interrupted. Besides the API it serves:
  GET  /_emulator/stats   JSON: per quota group and per operation, what it received,
                          accepted and refused (429), the busiest window, token requests
  GET  /_emulator/users   JSON: the registered usernames, in creation order
  POST /_emulator/reset   zero the counters (quota state is kept)`,
		setup: func(fs *flag.FlagSet) runner {
			o := emulateOptions{quotas: quotaFlag{}}
			fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to serve on (port 0: any free port)")
			fs.StringVar(&o.algorithm, "algorithm", easemobtest.SlidingWindow.String(), "how the server counts each quota: sliding-window, fixed-window or token-bucket")
			fs.StringVar(&o.appKey, "app-key", easemobtest.DefaultAppKey, "the App Key served, org#app")
			fs.StringVar(&o.clientID, "client-id", easemobtest.DefaultClientID, "the client_id the token endpoint accepts")
			fs.StringVar(&o.clientSecret, "client-secret", easemobtest.DefaultClientSecret, "the client_secret the token endpoint accepts")
			fs.DurationVar(&o.latency, "latency", 0, "delay of each leg of a request, to the server and back")
			fs.DurationVar(&o.jitter, "jitter", 0, "random extra delay per leg, uniform in [0, jitter)")
			fs.Var(o.quotas, "quota", "GROUP=LIMITS: the server's quota for a group, e.g. users.get=50/s (repeatable)")
			fs.IntVar(&o.userLimit, "user-limit", 0, "the plan's user quota: registering past it answers 429 resource_limited (0: none)")
			fs.BoolVar(&o.openRegistration, "open-registration", false, "let POST /users register without a token")
			return o.run
		}})
}

type emulateOptions struct {
	listen, algorithm              string
	appKey, clientID, clientSecret string
	latency, jitter                time.Duration
	quotas                         quotaFlag
	userLimit                      int
	openRegistration               bool
}

func (o *emulateOptions) emulator() (*easemobtest.Emulator, []ratelimit.Quota, error) {
	alg, err := parseAlgorithm(o.algorithm)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	if o.latency < 0 || o.jitter < 0 || o.userLimit < 0 {
		return nil, nil, usagef("--latency, --jitter and --user-limit may not be negative")
	}
	overrides, err := quotas(o.quotas, knownGroup)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	opts := []easemobtest.Option{
		easemobtest.WithAlgorithm(alg), easemobtest.WithAppKey(o.appKey),
		easemobtest.WithCredentials(o.clientID, o.clientSecret), easemobtest.WithQuotas(overrides...),
		easemobtest.WithUserLimit(o.userLimit),
	}
	if o.openRegistration {
		opts = append(opts, easemobtest.WithOpenRegistration())
	}
	if o.jitter > 0 {
		base, jitter := o.latency, int64(o.jitter)
		opts = append(opts, easemobtest.WithLatencyFunc(func() (time.Duration, time.Duration) {
			return base + time.Duration(rand.Int64N(jitter)), base + time.Duration(rand.Int64N(jitter))
		}))
	} else if o.latency > 0 {
		opts = append(opts, easemobtest.WithLatency(o.latency, o.latency))
	}
	var emu *easemobtest.Emulator
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = usagef("%v", r) // easemobtest.New panics on a bad option
			}
		}()
		emu = easemobtest.New(opts...)
	}()
	if err != nil {
		return nil, nil, err
	}
	table := easemob.DefaultQuotas()
	for _, q := range overrides {
		g, _ := catalog.GroupByName(q.Group)
		table[g].Limits = q.Limits
	}
	return emu, table, nil
}

func (o *emulateOptions) run(ctx context.Context, x *call) error {
	emu, table, err := o.emulator()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(x.stdout, "# easemob emulator (%s) on %s; stats at %s/_emulator/stats\n", o.algorithm, base, base)
	fmt.Fprintf(x.stdout, "EASEMOB_BASE_URL=%s\nEASEMOB_APP_KEY=%s\nEASEMOB_CLIENT_ID=%s\nEASEMOB_CLIENT_SECRET=%s\n",
		base, emu.AppKey(), emu.ClientID(), emu.ClientSecret())
	srv := &http.Server{Handler: emulatorMux(emu, table, o.algorithm), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil // an interrupted server has done its job
}

// emulatorMux serves the API and the /_emulator/ endpoints.
func emulatorMux(emu *easemobtest.Emulator, table []ratelimit.Quota, alg string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", emu.Handler())
	mux.HandleFunc("GET /_emulator/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, statsOf(emu, table, alg))
	})
	mux.HandleFunc("GET /_emulator/users", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string][]string{"usernames": emu.Usernames()})
	})
	mux.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, _ *http.Request) {
		emu.ResetStats()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// emulatorStats is the /_emulator/stats document.
type emulatorStats struct {
	AppKey        string                 `json:"app_key"`
	Algorithm     string                 `json:"algorithm"`
	Users         int                    `json:"users"`
	TokenRequests int                    `json:"token_requests"`
	RateLimited   int                    `json:"rate_limited"`
	Groups        map[string]groupCounts `json:"groups"`
	Ops           map[string]opCounts    `json:"ops"`
}

// groupCounts is easemobtest.GroupStats with the group's limits.
type groupCounts struct {
	Limits        []string `json:"limits"`
	Received      int      `json:"received"`
	Accepted      int      `json:"accepted"`
	RateLimited   int      `json:"rate_limited"`
	QuotaExceeded int      `json:"quota_exceeded"`
	// MaxInWindow is, per limit, the most units received in one window.
	MaxInWindow []int `json:"max_in_window"`
}

// opCounts is easemobtest.OpStats.
type opCounts struct {
	Group         string         `json:"group"`
	Received      int            `json:"received"`
	Accepted      int            `json:"accepted"`
	RateLimited   int            `json:"rate_limited"`
	QuotaExceeded int            `json:"quota_exceeded"`
	Injected      int            `json:"injected,omitempty"`
	Dropped       int            `json:"dropped,omitempty"`
	Statuses      map[string]int `json:"statuses,omitempty"`
}

// statsOf reads the counters of every group and op that saw a request.
func statsOf(emu *easemobtest.Emulator, table []ratelimit.Quota, alg string) emulatorStats {
	st := emulatorStats{AppKey: emu.AppKey(), Algorithm: alg, Users: len(emu.Usernames()),
		TokenRequests: emu.TokenRequests(), RateLimited: emu.TotalRateLimited(),
		Groups: map[string]groupCounts{}, Ops: map[string]opCounts{}}
	for _, q := range table {
		g := emu.Stats(q.Group)
		if g.Received == 0 {
			continue
		}
		limits := make([]string, len(q.Limits))
		for i, l := range q.Limits {
			limits[i] = l.String()
		}
		st.Groups[q.Group] = groupCounts{Limits: limits, Received: g.Received, Accepted: g.Accepted,
			RateLimited: g.RateLimited, QuotaExceeded: g.QuotaExceeded, MaxInWindow: g.MaxInWindow}
	}
	for _, op := range catalog.Ops {
		s := emu.OpStats(op.ID)
		if s.Received == 0 && len(s.Statuses) == 0 && s.Dropped == 0 {
			continue
		}
		statuses := map[string]int{}
		for code, n := range s.Statuses {
			statuses[fmt.Sprint(code)] = n
		}
		st.Ops[op.ID] = opCounts{Group: catalog.Groups[op.Group].Group, Received: s.Received, Accepted: s.Accepted,
			RateLimited: s.RateLimited, QuotaExceeded: s.QuotaExceeded, Injected: s.Injected, Dropped: s.Dropped,
			Statuses: statuses}
	}
	return st
}

func parseAlgorithm(name string) (easemobtest.Algorithm, error) {
	var names []string
	for _, a := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow, easemobtest.TokenBucket} {
		if a.String() == name {
			return a, nil
		}
		names = append(names, a.String())
	}
	return 0, fmt.Errorf("unknown algorithm %q: want %s", name, strings.Join(names, ", "))
}
