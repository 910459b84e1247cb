package redisstore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob/ratelimit"
)

const (
	// maxFlushers bounds the batches in flight at once. One alone leaves
	// Redis idle while a batch's replies travel and the next is built; more
	// split the queue into smaller batches for no gain.
	maxFlushers = 2
	// maxGroup bounds the calls one script decides, so that a burst of
	// callers cannot hold Redis in one script for long.
	maxGroup = 64
)

// A call is one Reserve on its way to Redis. The caller fills the request
// fields; a flusher sets the reply fields, then signals done, unless the
// caller has given up: then the flusher owns the call.
type call struct {
	ctx      context.Context // the caller's
	deadline time.Time       // when the caller gives up; zero: never
	state    atomic.Int32    // waiting, answered or abandoned
	timer    *time.Timer     // the store's timeout, kept with the call for reuse

	req  *ratelimit.StoreRequest
	base string // key prefix of the App Key: calls that share it share a slot
	fkey string
	keys []string // hash and logs of each limit, in threes
	// args is the max wait, id, flight and margin, then six values per
	// limit (see reserveScript).
	args []any
	done chan struct{}

	now, code, wait int64
	sent, answered  time.Time // local times of the round trip
	err             error
}

// States of a call: a caller that gives up and a flusher that answers
// race for it, and the loser leaves the call to the winner.
const (
	callWaiting int32 = iota
	callAnswered
	callAbandoned
)

var callPool = sync.Pool{New: func() any { return &call{done: make(chan struct{}, 1)} }}

func getCall() *call { return callPool.Get().(*call) }

// putCall recycles c once its flusher is done with it, that is once its
// answer was received.
func putCall(c *call) {
	clear(c.keys)
	clear(c.args)
	c.ctx, c.deadline, c.req, c.base, c.fkey, c.err = nil, time.Time{}, nil, "", "", nil
	c.keys, c.args = c.keys[:0], c.args[:0]
	c.state.Store(callWaiting)
	callPool.Put(c)
}

// live reports whether c's caller still waits for it.
func (c *call) live(now time.Time) bool {
	return c.state.Load() == callWaiting && c.ctx.Err() == nil && (c.deadline.IsZero() || now.Before(c.deadline))
}

// batcher queues calls for the flushers. Callers run concurrently while a
// batch is in flight, so the next batch holds every call that arrived in
// the meantime: under load one round trip serves many calls, and alone a
// call is sent at once.
type batcher struct {
	mu       sync.Mutex
	queue    []*call
	flushers int
	idle     []*executor // buffers of flushers gone, for the next ones
}

// do sends c in the next batch and waits for its answer until ctx, bounded
// by the store's timeout, ends; ok reports whether c got one, and then c
// may be recycled. A flusher, not the caller, does the I/O: a client
// without ContextTimeoutEnabled would not stop at the deadline, and
// abandoning the call is then the only way to fail fast.
func (s *Store) do(ctx context.Context, c *call) (ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	c.ctx = ctx
	// A timer kept with the call, not a context per call: the flusher
	// makes one context per batch from the deadlines.
	var expired <-chan time.Time
	if s.timeout > 0 {
		c.deadline = time.Now().Add(s.timeout)
		if c.timer == nil {
			c.timer = time.NewTimer(s.timeout)
		} else {
			c.timer.Reset(s.timeout)
		}
		expired = c.timer.C
	}
	if dl, ok := ctx.Deadline(); ok && (c.deadline.IsZero() || dl.Before(c.deadline)) {
		c.deadline = dl
	}
	b := &s.batch
	b.mu.Lock()
	b.queue = append(b.queue, c)
	start := b.flushers < maxFlushers
	if start {
		b.flushers++
	}
	b.mu.Unlock()
	if start {
		go s.flush()
	}
	var cause error
	select {
	case <-c.done:
		c.stopTimer()
		return true, c.err
	case <-ctx.Done():
		cause = context.Cause(ctx)
	case <-expired:
		cause = context.DeadlineExceeded
	}
	if !c.state.CompareAndSwap(callWaiting, callAbandoned) {
		// An answer that raced the deadline is still the truth.
		<-c.done
		c.stopTimer()
		return true, c.err
	}
	return false, fmt.Errorf("no answer from redis: %w", cause)
}

// stopTimer stops c's timer; since Go 1.23 no stale tick is left behind.
func (c *call) stopTimer() {
	if c.timer != nil {
		c.timer.Stop()
	}
}

// flush sends batches until the queue is empty.
func (s *Store) flush() {
	b := &s.batch
	b.mu.Lock()
	var ex *executor
	if n := len(b.idle); n > 0 {
		ex, b.idle = b.idle[n-1], b.idle[:n-1]
	} else {
		ex = new(executor)
	}
	for {
		ex.batch, b.queue = b.queue, ex.batch[:0]
		if len(ex.batch) == 0 {
			b.flushers--
			b.idle = append(b.idle, ex)
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		ex.run(s, ex.batch)
		clear(ex.batch)
		b.mu.Lock()
	}
}

// executor sends batches; its buffers are reused from one batch to the next.
type executor struct {
	batch  []*call
	groups []group
	n      int // groups in use
	cmds   []*scripted
}

// group is the calls that one script decides.
type group struct {
	calls []*call
	scripted
}

// run sends one script per App Key (up to maxGroup calls each), all in one
// pipeline, and hands each call its answer. Calls whose caller has gone
// are dropped unsent, so that a stalled Redis does not spend them later.
func (e *executor) run(s *Store, batch []*call) {
	var (
		first  *call
		live   int
		latest time.Time // the last caller's deadline
		finite = true    // every caller has one
		now    = time.Now()
	)
	for _, c := range batch {
		if !c.live(now) {
			continue
		}
		if first == nil {
			first = c
		}
		if c.deadline.IsZero() {
			finite = false
		} else if c.deadline.After(latest) {
			latest = c.deadline
		}
		e.add(c)
		live++
	}
	if live == 0 {
		return
	}
	// The batch outlives any one caller: it runs until the last of them
	// gives up, carrying the values of the first.
	ctx := first.ctx
	if live > 1 {
		ctx = context.WithoutCancel(ctx)
	}
	if finite {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, latest)
		defer cancel()
	}
	e.cmds = e.cmds[:0]
	for i := range e.n {
		e.cmds = append(e.cmds, &e.groups[i].scripted)
	}
	sent := time.Now()
	runScripts(ctx, s.client, reserveScript, e.cmds)
	answered := time.Now()
	for i := range e.n {
		e.groups[i].answer(s, sent, answered)
	}
	e.n = 0
}

// add appends c to an open group of its App Key, opening one if needed.
func (e *executor) add(c *call) {
	var g *group
	for i := e.n - 1; i >= 0; i-- {
		if cand := &e.groups[i]; cand.calls[0].base == c.base && len(cand.calls) < maxGroup {
			g = cand
			break
		}
	}
	if g == nil {
		if e.n == len(e.groups) {
			e.groups = append(e.groups, group{scripted: scripted{index: make(map[string]int)}})
		}
		g = &e.groups[e.n]
		e.n++
	}
	g.calls = append(g.calls, c)
	n := len(c.keys) / 3
	g.args = append(g.args, g.key(c.fkey), n)
	for j := range n {
		g.args = append(g.args, g.key(c.keys[3*j], c.keys[3*j+1], c.keys[3*j+2]))
	}
	g.args = append(g.args, c.args...)
}

// answer hands every call of g its part of the reply and resets g. A call
// whose caller gave up meanwhile was perhaps granted: one it would have
// settled is settled now, as never sent, so that it does not hold its
// quota in flight until its provisional end.
func (g *group) answer(s *Store, sent, answered time.Time) {
	res, err := g.cmd.Int64Slice()
	if err == nil && len(res) != 1+2*len(g.calls) {
		err = fmt.Errorf("unexpected script reply %v", res)
	}
	for i, c := range g.calls {
		c.sent, c.answered, c.err = sent, answered, err
		if err == nil {
			c.now, c.code, c.wait = res[0], res[1+2*i], res[2+2*i]
		}
		if c.state.CompareAndSwap(callWaiting, callAnswered) {
			c.done <- struct{}{} // the last touch: the caller may recycle c
			continue
		}
		switch {
		case c.req.Flight == 0:
		case err != nil:
			s.reporter.unsent(s, c.req, 0)
		case c.code == 1:
			s.reporter.unsent(s, c.req, c.now)
		}
		c.stopTimer()
		putCall(c)
	}
	g.calls = g.calls[:0]
	g.reset()
}

// scripted is one script call: its keys, each listed once, its arguments
// and, once run, its reply.
type scripted struct {
	keys  []string
	args  []any
	index map[string]int // KEYS index (1-based) of each key in keys
	cmd   *redis.Cmd
}

// key returns the KEYS index of k, listing it (and the logs that follow
// it, if any) the first time. Each key is listed once: the scripts keep the
// state of a limit by the index of its hash.
func (g *scripted) key(k string, logs ...string) int {
	if i, ok := g.index[k]; ok {
		return i
	}
	g.keys = append(g.keys, k)
	i := len(g.keys)
	g.keys = append(g.keys, logs...)
	g.index[k] = i
	return i
}

func (g *scripted) reset() {
	clear(g.keys)
	clear(g.args)
	clear(g.index)
	g.keys, g.args, g.cmd = g.keys[:0], g.args[:0], nil
}

// runScripts runs script once for each of gs, in one round trip when they
// are several; a server that lost the script (restart, failover, SCRIPT
// FLUSH) gets its source in a second.
func runScripts(ctx context.Context, client redis.UniversalClient, script *redis.Script, gs []*scripted) {
	if len(gs) == 1 {
		gs[0].cmd = script.Run(ctx, client, gs[0].keys, gs[0].args...)
		return
	}
	pipe := client.Pipeline()
	for _, g := range gs {
		g.cmd = script.EvalSha(ctx, pipe, g.keys, g.args...)
	}
	_, _ = pipe.Exec(ctx)
	var again redis.Pipeliner
	for _, g := range gs {
		if redis.HasErrorPrefix(g.cmd.Err(), "NOSCRIPT") {
			if again == nil {
				again = client.Pipeline()
			}
			g.cmd = script.Eval(ctx, again, g.keys, g.args...)
		}
	}
	if again != nil {
		_, _ = again.Exec(ctx)
	}
}
