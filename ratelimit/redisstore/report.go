package redisstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob/ratelimit"
)

const (
	// settleEvery is how long settlements gather before they go: one
	// script per App Key every few milliseconds, however many calls ended.
	// A settlement's end is exact whenever it lands; until it does, the
	// call only counts as in flight a little longer.
	settleEvery = 2 * time.Millisecond
	// settleTimeout bounds one round trip of settlements: they hold up no
	// call.
	settleTimeout = time.Second
	// retryEvery spaces extensions while Redis fails.
	retryEvery = 100 * time.Millisecond
)

// A settlement is a report on its way: an end, or, for a call still in
// flight near its provisional end, an extension.
type settlement struct {
	req *ratelimit.StoreRequest
	end int64 // Redis µs; 0: push the provisional end out by the flight bound
	// until is the provisional end the store holds (Redis µs): past it,
	// an extension is moot.
	until int64
}

// reporter sends the process's settlements and keeps the grants it has
// not settled yet in flight while they last: a call slower than its
// flight bound must not drop out of the log while it may still reach the
// server. One goroutine at a time sends, so that an extension and the
// settlement of the same call land in order; it runs while there is work
// and a timer wakes it for the next extension.
type reporter struct {
	mu      sync.Mutex
	queue   []settlement
	flying  map[uint64]settlement // unsettled grants, by ID
	checkAt int64                 // Redis µs: no flying grant needs an extension before
	running bool
	timer   *time.Timer
	batch   []settlement
	groups  []scripted
	cmds    []*scripted
}

// track keeps r, granted with a provisional end at until, for extension.
func (p *reporter) track(s *Store, r *ratelimit.StoreRequest, until int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.flying == nil {
		p.flying = make(map[uint64]settlement)
	}
	due := until - ceilMicros(r.Flight)/2
	first := len(p.flying) == 0
	p.flying[r.ID] = settlement{req: r, until: until}
	if first || due < p.checkAt {
		p.checkAt = due
		if !p.running {
			p.armLocked(s)
		}
	}
}

// settle queues the end of r's grant.
func (p *reporter) settle(s *Store, r *ratelimit.StoreRequest, end int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.flying, r.ID)
	p.queue = append(p.queue, settlement{req: r, end: end})
	p.startLocked(s)
}

// unsent settles a grant whose caller gave up before it learnt of it: the
// call is never sent, so it may end at any time, say at the reply's
// server time (0: none came, then now). Settling a call that was not
// granted changes nothing.
func (p *reporter) unsent(s *Store, r *ratelimit.StoreRequest, at int64) {
	if at == 0 {
		var ok bool
		if at, ok = s.clock.latest(time.Now()); !ok {
			return // no round trip yet: the provisional end stands
		}
	}
	p.settle(s, r, at)
}

func (p *reporter) startLocked(s *Store) {
	if !p.running {
		p.running = true
		go p.run(s)
	}
}

// armLocked sets the timer for the next extension: a timer, not a
// sleeping goroutine, so that an idle store holds none.
func (p *reporter) armLocked(s *Store) {
	now, known := s.clock.latest(time.Now())
	if len(p.flying) == 0 || !known {
		return
	}
	d := max(0, time.Duration(p.checkAt-now)*time.Microsecond)
	if p.timer == nil {
		p.timer = time.AfterFunc(d, func() {
			p.mu.Lock()
			p.startLocked(s)
			p.mu.Unlock()
		})
		return
	}
	p.timer.Reset(d)
}

// run sends settlements and due extensions until there are none.
func (p *reporter) run(s *Store) {
	for {
		time.Sleep(settleEvery)
		p.mu.Lock()
		p.batch = append(p.batch[:0], p.queue...)
		clear(p.queue)
		p.queue = p.queue[:0]
		now, known := s.clock.latest(time.Now())
		if known && now >= p.checkAt {
			p.extensionsLocked(now)
		}
		if len(p.batch) == 0 {
			p.running = false
			p.armLocked(s)
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
		err := p.send(s)
		if err == nil {
			clear(p.batch)
			continue
		}
		p.mu.Lock()
		if errors.Is(err, redis.ErrClosed) {
			// The client is closed: nothing will ever reach this Redis.
			p.queue, p.flying, p.running = nil, nil, false
			p.mu.Unlock()
			return
		}
		// Settlements are not sent again: their entries keep the
		// provisional end, on the safe side, and a Redis that fails would
		// only see more connections tried. An extension that did not land
		// leaves its grant due again, until its provisional end.
		for _, st := range p.batch {
			if f, ok := p.flying[st.req.ID]; st.end == 0 && ok {
				f.until = st.until
				p.flying[st.req.ID] = f
				p.checkAt = min(p.checkAt, now)
			}
		}
		clear(p.batch)
		p.mu.Unlock()
		time.Sleep(retryEvery)
	}
}

// extensionsLocked adds to the batch an extension of every flying grant
// within half its flight bound of its provisional end, forgets those past
// it (the store has let them go), and sets checkAt to the next one due.
func (p *reporter) extensionsLocked(now int64) {
	p.checkAt = 1<<63 - 1
	for id, st := range p.flying {
		half := ceilMicros(st.req.Flight) / 2
		switch {
		case st.until <= now:
			delete(p.flying, id)
			continue
		case st.until-half <= now:
			p.batch = append(p.batch, st)
			st.until = now + 2*half // once it lands; a little less, if anything
			p.flying[id] = st
		}
		p.checkAt = min(p.checkAt, st.until-half)
	}
}

// send runs the settle script once per App Key (up to maxGroup
// settlements each), all in one round trip.
func (p *reporter) send(s *Store) error {
	// Grouped by App Key; a call appears once in a batch, so the order
	// within the batch does not matter.
	slices.SortStableFunc(p.batch, func(a, b settlement) int { return strings.Compare(a.req.AppKey, b.req.AppKey) })
	n := 0
	for i := 0; i < len(p.batch); {
		if n == len(p.groups) {
			p.groups = append(p.groups, scripted{index: make(map[string]int)})
		}
		g := &p.groups[n]
		n++
		app := p.batch[i].req.AppKey
		for k := 0; i < len(p.batch) && k < maxGroup && p.batch[i].req.AppKey == app; i, k = i+1, k+1 {
			s.settleArgs(g, p.batch[i])
		}
	}
	p.cmds = p.cmds[:0]
	for i := range n {
		p.cmds = append(p.cmds, &p.groups[i])
	}
	ctx, cancel := context.WithTimeout(context.Background(), settleTimeout)
	defer cancel()
	runScripts(ctx, s.client, settleScript, p.cmds)
	var err error
	for _, g := range p.cmds {
		err = errors.Join(err, g.cmd.Err())
		g.reset()
	}
	if err != nil {
		return fmt.Errorf("redisstore: settle: %w", err)
	}
	return nil
}

// settleArgs appends st to g (see settleScript).
func (s *Store) settleArgs(g *scripted, st settlement) {
	r := st.req
	mode, v := 1, st.end
	if st.end == 0 {
		mode, v = 2, ceilMicros(r.Flight)
	}
	g.args = append(g.args, len(r.Limits), r.ID, mode, v)
	nm := s.names(r.AppKey, r.Group, len(r.Limits))
	for i, lim := range r.Limits {
		h, z, u := nm.limit(i, lim, r.Scope)
		g.args = append(g.args, g.key(h, z, u), r.Units[i], ceilMicros(lim.Window))
	}
}
