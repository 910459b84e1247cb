// Package redistest gives tests a Redis: a redis-server of their own on a
// free loopback port, or the one REDIS_URL names. Tests skip when neither
// is available.
package redistest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startWait bounds how long a fresh server may take to answer PING.
const startWait = 10 * time.Second

// Server is a Redis for one test.
type Server struct {
	opts *redis.Options
	cmd  *exec.Cmd // nil when REDIS_URL names the server
	out  *syncBuffer
}

// Start returns a client of a Redis for t (see StartServer); the client is
// closed when t ends.
func Start(t testing.TB) *redis.Client {
	t.Helper()
	return StartServer(t).Client(t)
}

// StartServer starts a redis-server on a free 127.0.0.1 port, with no
// persistence and args added to its command line, and waits until it
// answers PING; it is killed when t ends. If REDIS_URL is set, that server
// is used instead, args are ignored, and t fails if it does not answer.
// With neither a redis-server binary on PATH nor REDIS_URL, t is skipped.
func StartServer(t testing.TB, args ...string) *Server {
	t.Helper()
	if url := os.Getenv("REDIS_URL"); url != "" {
		opts, err := redis.ParseURL(url)
		if err != nil {
			t.Fatalf("redistest: REDIS_URL: %v", err)
		}
		s := &Server{opts: opts}
		if err := s.ping(startWait); err != nil {
			t.Fatalf("redistest: REDIS_URL %s does not answer: %v", url, err)
		}
		return s
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redistest: no redis-server on PATH and REDIS_URL unset: install the redis-server package or set REDIS_URL")
	}
	// A free port can be taken by someone else before the server binds
	// it, so try a few.
	var last error
	for range 3 {
		s, err := launch(t, bin, args)
		if err == nil {
			return s
		}
		last = err
	}
	t.Fatalf("redistest: %v", last)
	return nil
}

func launch(t testing.TB, bin string, extra []string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", t.TempDir(),
	}, extra...)
	s := &Server{
		opts: &redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))},
		cmd:  exec.Command(bin, args...),
		out:  &syncBuffer{},
	}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = s.cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill() // SIGKILL works on a paused server too
		<-exited
	})
	ready := make(chan error, 1)
	go func() { ready <- s.ping(startWait) }()
	select {
	case err := <-ready:
		if err != nil {
			return nil, fmt.Errorf("redis-server on port %d: %w\n%s", port, err, s.out.String())
		}
		return s, nil
	case <-exited:
		return nil, fmt.Errorf("redis-server on port %d exited:\n%s", port, s.out.String())
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) ping(within time.Duration) error {
	c := redis.NewClient(s.Options())
	defer func() { _ = c.Close() }()
	end := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil || time.Now().After(end) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.opts.Addr }

// Options returns a copy of the options that reach the server.
func (s *Server) Options() *redis.Options {
	o := *s.opts
	return &o
}

// Client returns a new client of the server (its own connection pool, as
// a separate process would have), closed when t ends.
func (s *Server) Client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(s.Options())
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// StartCluster starts a one-node Redis Cluster that owns every slot and
// returns a cluster client of it, closed when t ends. It skips t when
// REDIS_URL is set (that server need not be a cluster node) or no
// redis-server is installed. A cluster refuses a script whose keys hash to
// different slots, which is what a test of key layout needs.
func StartCluster(t testing.TB) *redis.ClusterClient {
	t.Helper()
	if os.Getenv("REDIS_URL") != "" {
		t.Skip("redistest: REDIS_URL is set; a cluster test needs its own redis-server")
	}
	s := StartServer(t, "--cluster-enabled", "yes", "--cluster-announce-ip", "127.0.0.1")
	c := s.Client(t)
	ctx := context.Background()
	if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatalf("redistest: assign slots: %v", err)
	}
	end := time.Now().Add(startWait)
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("redistest: cluster not ready: %v %s", err, info)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{s.Addr()}})
	t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// Owned reports whether the test started the server, so that it may stop it.
func (s *Server) Owned() bool { return s.cmd != nil }

// Kill stops the server for good: connections are refused from now on.
func (s *Server) Kill() error { return s.signal(syscall.SIGKILL) }

// Pause freezes the server (SIGSTOP): connections stay open and nothing
// answers, the way an overloaded or partitioned Redis behaves.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume undoes Pause.
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig os.Signal) error {
	if s.cmd == nil {
		return errors.New("redistest: the server was not started by the test")
	}
	return s.cmd.Process.Signal(sig)
}

// Prefix returns a key prefix no other test shares, so that tests on one
// server (REDIS_URL, or -count) never see each other's keys.
func Prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test:" + hex.EncodeToString(b[:]) + ":"
}

// syncBuffer collects the server's output for error messages.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Proxy forwards TCP connections to a Server, with a latency of its
// choosing, and can hold every byte both ways, as a partition does:
// connections stay open and nothing answers until it heals, when what was
// held goes through late.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	held    bool
	healed  chan struct{} // closed when the hold ends
	latency time.Duration // one way
	conns   map[net.Conn]struct{}
	wg      sync.WaitGroup
}

// Proxy starts a proxy to s on a free 127.0.0.1 port; it closes when t ends.
func (s *Server) Proxy(t testing.TB) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("redistest: proxy: %v", err)
	}
	p := &Proxy{ln: ln, target: s.Addr(), healed: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	close(p.healed)
	p.wg.Go(p.accept)
	t.Cleanup(p.close)
	return p
}

// Client returns a new client that reaches the server through p, closed
// when t ends.
func (p *Proxy) Client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: p.ln.Addr().String()})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Hold stops every byte between the clients and the server.
func (p *Proxy) Hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.held {
		p.held, p.healed = true, make(chan struct{})
	}
}

// Heal lets the held bytes, and all later ones, through.
func (p *Proxy) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held {
		p.held = false
		close(p.healed)
	}
}

// wait blocks while the proxy holds; it reports false once the proxy is closed.
func (p *Proxy) wait() bool {
	p.mu.Lock()
	healed, open := p.healed, p.conns != nil
	p.mu.Unlock()
	<-healed
	return open
}

func (p *Proxy) accept() {
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		if !p.track(in) {
			return
		}
		p.wg.Go(func() {
			defer p.untrack(in)
			if !p.wait() {
				return
			}
			out, err := net.Dial("tcp", p.target)
			if err != nil || !p.track(out) {
				if out != nil {
					_ = out.Close()
				}
				return
			}
			defer p.untrack(out)
			done := make(chan struct{}, 2)
			for _, pair := range [][2]net.Conn{{in, out}, {out, in}} {
				p.wg.Go(func() {
					p.pipe(pair[1], pair[0])
					done <- struct{}{}
				})
			}
			<-done // one side closed: close both
		})
	}
}

// SetLatency delays every byte by d each way from now on: a slow link.
func (p *Proxy) SetLatency(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.latency = d
}

// chunk is bytes read at a time, on their way.
type chunk struct {
	b  []byte
	at time.Time
}

// pipe copies src to dst, each chunk latency after it was read, holding
// what it read while the proxy holds.
func (p *Proxy) pipe(dst, src net.Conn) {
	line := make(chan chunk, 64)
	p.wg.Go(func() {
		defer func() {
			for range line { // drain, so that the reader never blocks
			}
		}()
		for c := range line {
			time.Sleep(time.Until(c.at))
			if !p.wait() {
				return
			}
			if _, err := dst.Write(c.b); err != nil {
				_ = src.Close()
				return
			}
		}
	})
	defer close(line)
	for {
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			d := p.latency
			p.mu.Unlock()
			line <- chunk{buf[:n], time.Now().Add(d)}
		}
		if err != nil {
			return
		}
	}
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns == nil {
		_ = c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = c.Close()
	delete(p.conns, c)
}

func (p *Proxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
	if p.held {
		p.held = false
		close(p.healed)
	}
	p.mu.Unlock()
	p.wg.Wait()
}
