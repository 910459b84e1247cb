// Command metrics is a small service that exports its client's quota
// events as Prometheus metrics on /metrics: per quota group, the waits for
// quota, the calls refused locally, the server's 429s, resends and the
// rate after adaptation (package observe/prom).
//
// It keeps a users workload going against the embedded emulator (or the
// server the EASEMOB_* variables name) at more than its quota, so that
// calls wait, and calls that may not wait are refused:
//
//	go run ./examples/metrics --listen 127.0.0.1:9090 &
//	curl -s 127.0.0.1:9090/metrics | grep easemob_
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/observe/prom"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9090", "address of /metrics")
	flag.Parse()
	cfg, _, stop := exampleenv.Config()
	defer stop()
	s, err := newService(cfg, *listen)
	if err != nil {
		log.Fatal(err)
	}
	defer s.close()
	fmt.Printf("metrics on http://%s/metrics\n", s.addr())
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()
	for ctx.Err() == nil {
		if err := s.work(ctx); err != nil && ctx.Err() == nil {
			log.Print(err)
		}
	}
}

// service is a client whose observer is a Prometheus collector, and the
// HTTP server that exports it.
type service struct {
	c   *easemob.Client
	ln  net.Listener
	srv *http.Server
}

// getRate is the users.get quota this service keeps to: low, so that a
// short workload shows waits and refusals.
const getRate = 20

func newService(cfg easemob.Config, listen string) (*service, error) {
	col := prom.New()
	metrics := prometheus.NewRegistry()
	metrics.MustRegister(col)
	reg := easemob.NewRegistry()
	if err := reg.Override(cfg.AppKey, ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: getRate, Window: time.Second}}}); err != nil {
		return nil, err
	}
	cfg.Registry, cfg.Observer = reg, col
	c, err := easemob.New(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(metrics, promhttp.HandlerOpts{}))
	s := &service{c: c, ln: ln, srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *service) addr() string { return s.ln.Addr().String() }

func (s *service) close() {
	_ = s.srv.Close()
	_ = s.c.Close()
}

// work makes one round of calls: twice the users.get quota from eight
// callers (they wait for it), then calls that may not wait while the
// group is busy (refused locally, spending nothing).
func (s *service) work(ctx context.Context) error {
	const name = "metrics-example"
	// The first round registers it; later ones are refused as duplicates,
	// and a real failure shows in the Gets.
	_, _ = s.c.Users.Register(ctx, users.NewUser{Username: name, Password: "s3cret"})
	var wg sync.WaitGroup
	errs := make(chan error, 2*getRate)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < 2*getRate; i += 8 {
				if _, err := s.c.Users.Get(ctx, name); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	for range 5 {
		_, err := s.c.Users.Get(ctx, name, option.NoWait())
		if err != nil && !errors.Is(err, easemob.ErrRateLimited) {
			return err
		}
	}
	return nil
}
