package ratelimit

import (
	"context"
	"math"
	"sync"
	"time"
)

// Cost is what one call spends: one call on every Calls side, Messages units
// on every Messages side, and Scope is the value (for example the user ID)
// that per-path-value limits are counted for.
type Cost struct {
	// Messages is the number of messages the call sends (targets of a send);
	// zero counts as one.
	Messages int
	// Scope is the path value for limits with Per set; ignored otherwise.
	Scope string
}

// Limiter holds the budget of one group for one App Key. It is safe for
// concurrent use; get one from Registry.Limiter.
type Limiter struct {
	group string
	app   string
	reg   *Registry

	mu      sync.Mutex
	base    []Limit // limits after overrides, before scaling
	limits  []Limit // effective limits: base × safety factor × adaptation
	shared  []window
	perIdx  []int // indexes into limits of the per-scope limits
	scopes  map[string]*scoped
	sweepAt int   // scope count that triggers the next eviction sweep
	sweptAt int64 // time of the last sweep
	peak    int   // most scopes held since the map was last rebuilt
	layout  int   // bumped when an override moves windows

	adaptive           // the rate learnt from the server's refusals
	queue    waitQueue // calls waiting for the App Key sides
	// interactiveAt is the last time an interactive call came; for a
	// window after it, bulk calls leave the App Key sides' headroom free.
	interactiveAt int64
	grants        int64
}

type scoped struct{ windows []window }

// Group returns the group name.
func (l *Limiter) Group() string { return l.group }

// Limits returns the limits in force (after overrides, safety factor and
// adaptation to the server's refusals).
func (l *Limiter) Limits() []Limit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Limit(nil), l.limits...)
}

// configure sets the base limits and derives the effective ones; l.mu is
// held (or the limiter is not yet shared).
func (l *Limiter) configure(base []Limit) {
	l.base = base
	factor, margin := l.reg.factor*l.reg.localShare(), l.reg.margin
	old := l.limits
	l.limits = make([]Limit, len(base))
	l.perIdx = l.perIdx[:0]
	for i, lim := range base {
		if lim.Per != "" {
			lim.Count = scaled(lim.Count, factor)
			l.perIdx = append(l.perIdx, i)
		} else {
			lim.Count = scaled(lim.Count, factor*l.adapt)
		}
		l.limits[i] = lim
	}
	// Each side keeps the history of the old side it matches, so an
	// override that adds or drops sides forgets nothing already spent.
	from, same := carry(old, l.limits, false)
	if !same {
		l.shared = remap(l.shared, from)
	}
	si := 0
	for _, lim := range l.limits {
		if lim.Per == "" {
			l.shared[si].set(lim, margin, l.reg.pace)
			si++
		}
	}
	perFrom, perSame := carry(old, l.limits, true)
	for _, sc := range l.scopes {
		if !perSame {
			sc.windows = remap(sc.windows, perFrom)
		}
		for j, i := range l.perIdx {
			sc.windows[j].set(l.limits[i], margin, l.reg.pace)
		}
	}
	if !same || !perSame {
		// Grants in flight can no longer find their entries: end them now.
		l.layout++
		now := l.reg.now()
		for i := range l.shared {
			l.shared[i].land(now)
		}
		for _, sc := range l.scopes {
			for j := range sc.windows {
				sc.windows[j].land(now)
			}
		}
	}
	l.queue.poke() // the sleeper's slot may have moved
}

// carry maps each shared (or, with per, each per-scope) side of limits to
// the position of the old window for the same side, or -1 for a new side;
// same reports that every position is unchanged. A side matches an old one
// of the same scope and unit, preferably with the same window.
func carry(old, limits []Limit, per bool) (from []int, same bool) {
	var olds, news []Limit
	for _, o := range old {
		if (o.Per != "") == per {
			olds = append(olds, o)
		}
	}
	for _, n := range limits {
		if (n.Per != "") == per {
			news = append(news, n)
		}
	}
	from = make([]int, len(news))
	taken := make([]bool, len(olds))
	for pass := range 2 {
		for i, n := range news {
			if pass == 0 {
				from[i] = -1
			} else if from[i] >= 0 {
				continue
			}
			for j, o := range olds {
				if !taken[j] && o.Per == n.Per && o.Unit == n.Unit && (pass == 1 || o.Window == n.Window) {
					from[i], taken[j] = j, true
					break
				}
			}
		}
	}
	same = len(olds) == len(news)
	for i, k := range from {
		same = same && k == i
	}
	return from, same
}

func remap(ws []window, from []int) []window {
	out := make([]window, len(from))
	for j, k := range from {
		if k >= 0 {
			out[j] = ws[k]
		}
	}
	return out
}

func countShared(limits []Limit) int {
	n := 0
	for _, lim := range limits {
		if lim.Per == "" {
			n++
		}
	}
	return n
}

func scaled(count int, factor float64) int {
	return max(1, int(math.Floor(float64(count)*factor)))
}

func (l *Limiter) units(lim *Limit, c Cost) int64 { return c.units().of(lim.Unit) }

// Wait blocks until the call fits every limit of the group, then spends it.
// If ctx's deadline comes before the quota, Wait returns a *WaitError at
// once without spending anything.
//
// The limiter does not learn when the call is answered, so the call counts
// until one window plus the margin after the grant; callers that can report
// the answer use Acquire, which spaces calls more tightly.
func (l *Limiter) Wait(ctx context.Context, c Cost) error {
	return l.acquire(ctx, c, true, nil)
}

// Acquire is Wait for a caller that reports the answer: it returns a Grant
// whose Answered the caller must call once the call's answer (or its
// failure) is in. The call then counts until one window after its answer,
// by which time the server has surely counted it, however long the request
// took on the way; it needs no margin for jitter, so the group runs closer
// to its quota.
func (l *Limiter) Acquire(ctx context.Context, c Cost) (Grant, error) {
	var g Grant // filled only when the call is granted
	err := l.acquire(ctx, c, true, &g)
	return g, err
}

// Allow spends the quota if the call fits now and reports whether it did.
func (l *Limiter) Allow(c Cost) bool {
	return l.acquire(context.Background(), c, false, nil) == nil
}

// Delay reports how long a call of cost c would wait now, without spending
// anything; it is what a caller planning a batch needs.
func (l *Limiter) Delay(c Cost) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.reg.now()
	_, scopeAt, _, err := l.earliest(now, c, Interactive) // expires old entries too
	if err != nil {
		return 0, err
	}
	return time.Duration(max(l.forecast(now, c, Interactive), scopeAt) - now), nil
}

// acquire decides a call; g, when set, receives the entries to report the
// answer to.
func (l *Limiter) acquire(ctx context.Context, c Cost, block bool, g *Grant) error {
	if err := ctx.Err(); err != nil {
		return err // a call whose caller has given up spends nothing
	}
	if l.reg.store != nil {
		return l.acquireShared(ctx, c, block, g)
	}
	return l.acquireLocal(ctx, c, block, g)
}

// acquireLocal decides a call with the in-process windows. A call that
// fits now, with nobody queued ahead of it, leaves at once; any other waits
// in the queue (see waitQueue) and its entries are made when it leaves, not
// booked ahead: a booking made ahead is only as good as the wake-up that
// follows it, and a late wake-up would send two calls closer than the
// window allows.
func (l *Limiter) acquireLocal(ctx context.Context, c Cost, block bool, g *Grant) error {
	lane := PriorityOf(ctx)
	for {
		if l.storeBack() {
			return errStoreBack
		}
		l.mu.Lock()
		now := l.reg.now()
		l.recover(now)
		if lane == Interactive {
			l.interactiveAt = now
		}
		sharedAt, scopeAt, sc, err := l.earliest(now, c, lane)
		if err != nil {
			l.mu.Unlock()
			return err
		}
		if sharedAt <= now && scopeAt <= now && !l.queue.hasAhead(lane) {
			l.commit(now, c, sc, g)
			l.mu.Unlock()
			return nil
		}
		at := max(l.forecast(now, c, lane), scopeAt)
		if !block {
			l.mu.Unlock()
			return &WaitError{Group: l.group, Wait: time.Duration(at - now)}
		}
		if dl, ok := ctx.Deadline(); ok && at > l.reg.since(dl) {
			l.mu.Unlock()
			return &WaitError{Group: l.group, Wait: time.Duration(at - now), deadline: true}
		}
		if scopeAt > now {
			// Held back by its own scope (one user's quota): wait for it
			// outside the queue, so one busy user holds up nobody else.
			l.mu.Unlock()
			if err := l.sleepFor(ctx, time.Duration(scopeAt-now)); err != nil {
				return err
			}
			continue
		}
		w := newWaiter(lane, c.units())
		l.queue.push(w)
		l.mu.Unlock()
		left, err := l.waitTurn(ctx, c, w, g)
		waiterPool.Put(w)
		if left || err != nil {
			return err
		}
		// Its scope filled up while it queued: wait for the scope again.
	}
}

// waitTurn waits in the queue until w, as the sleeper, takes the first
// free slot. It reports false with no error when the call's own scope
// filled up meanwhile; w is out of the queue when it returns.
func (l *Limiter) waitTurn(ctx context.Context, c Cost, w *waiter, g *Grant) (bool, error) {
	var fire <-chan time.Time
	stop := func() bool { return false }
	defer func() { stop() }()
	for {
		select {
		case <-w.signal:
		case <-fire:
		case <-ctx.Done():
			l.mu.Lock()
			l.queue.remove(w)
			l.mu.Unlock()
			return false, ctx.Err()
		}
		stop()
		fire = nil
		l.mu.Lock()
		w.awake = false
		if l.queue.sleeper != w {
			l.mu.Unlock()
			continue // displaced by an interactive call, or not yet at the head
		}
		now := l.reg.now()
		l.recover(now)
		sharedAt, scopeAt, sc, err := l.earliest(now, c, w.lane)
		if err == nil && l.storeBack() {
			err = errStoreBack
		}
		if err == nil && scopeAt > now {
			l.queue.remove(w)
			l.mu.Unlock()
			return false, nil
		}
		if err == nil && sharedAt <= now {
			l.commit(now, c, sc, g)
			l.queue.remove(w)
			l.mu.Unlock()
			return true, nil
		}
		if dl, ok := ctx.Deadline(); ok && err == nil && sharedAt > l.reg.since(dl) {
			err = &WaitError{Group: l.group, Wait: time.Duration(sharedAt - now), deadline: true}
		}
		if err != nil {
			l.queue.remove(w)
			l.mu.Unlock()
			return false, err
		}
		// sharedAt counts the calls in flight as answered now: w looks
		// again when it comes, and waits longer if they are not.
		l.mu.Unlock()
		fire, stop = l.reg.clock.NewTimer(time.Duration(sharedAt - now))
	}
}

// earliest finds the first time the App Key sides fit and the first time
// the scope's sides fit, counting calls in flight as answered now (a lower
// bound). It expires old entries and may create the scope's state, but
// spends nothing.
func (l *Limiter) earliest(now int64, c Cost, lane Priority) (sharedAt, scopeAt int64, sc *scoped, err error) {
	sharedAt, err = l.sharedEarliest(now, c, l.lanePolicy(now, lane))
	if err != nil || len(l.perIdx) == 0 {
		return sharedAt, now, nil, err
	}
	scopeAt = now
	sc = l.scope(now, c.Scope)
	for j, i := range l.perIdx {
		lim := &l.limits[i]
		u := l.units(lim, c)
		if u > int64(lim.Count) {
			return 0, 0, nil, ErrCostTooHigh
		}
		w := &sc.windows[j]
		w.expire(now)
		scopeAt = max(scopeAt, w.earliest(now, u, true))
	}
	return sharedAt, scopeAt, sc, nil
}

// lanes says how a call of one lane shares the App Key sides with the other.
type lanes uint8

const (
	alone lanes = iota // no call of the other lane about: the plain rules
	spare              // a bulk call while interactive calls come: leave the headroom free
	cutIn              // an interactive call while bulk calls queue: skip the pacing
)

// lanePolicy is how a call in lane p shares the group now; l.mu is held.
// Interactive calls beside a bulk job take the headroom the job leaves and
// skip the pacing, which the job's stream fills: they then go at once. The
// log still holds every side.
func (l *Limiter) lanePolicy(now int64, p Priority) lanes {
	switch {
	case p == Bulk && now-l.interactiveAt < l.period():
		return spare
	case p == Interactive && l.queue.first[Bulk] != nil && l.queue.first[Interactive] == nil:
		// Only a call arriving with no interactive call queued: a queue of
		// them is a stream of its own and keeps the pacing.
		return cutIn
	}
	return alone
}

// sharedEarliest is earliest for the App Key sides, under the lanes policy.
func (l *Limiter) sharedEarliest(now int64, c Cost, policy lanes) (int64, error) {
	at := now
	si := 0
	for i := range l.limits {
		lim := &l.limits[i]
		if lim.Per != "" {
			continue
		}
		u := l.units(lim, c)
		if u > int64(lim.Count) {
			return 0, ErrCostTooHigh
		}
		w := &l.shared[si]
		si++
		w.expire(now)
		if policy == spare {
			u = min(u+w.headroom, w.max)
		}
		at = max(at, w.earliest(now, u, policy != cutIn))
	}
	return at, nil
}

// forecast is when a call of cost c in lane p would leave after the calls
// queued ahead of it; l.mu is held and sharedEarliest has expired the logs.
func (l *Limiter) forecast(now int64, c Cost, p Priority) int64 {
	ahead := l.queue.ahead(p)
	at := now
	si := 0
	for i := range l.limits {
		lim := &l.limits[i]
		if lim.Per != "" {
			continue
		}
		at = max(at, l.shared[si].forecast(now, ahead.of(lim.Unit), l.units(lim, c)))
		si++
	}
	return at
}

// commit spends every side of a call at t; l.mu is held. With g set the
// entries stay in flight until g is answered; otherwise they end at t plus
// the margin.
func (l *Limiter) commit(t int64, c Cost, sc *scoped, g *Grant) {
	end := t + int64(l.reg.margin)
	if g != nil {
		end = inFlight
		g.l, g.sc, g.layout, g.at = l, sc, l.layout, t
	}
	si := 0
	for i := range l.limits {
		lim := &l.limits[i]
		if lim.Per != "" {
			continue
		}
		seq := l.shared[si].add(t, l.units(lim, c), end)
		if g != nil {
			g.shared[si] = seq
		}
		si++
	}
	if sc != nil {
		for j, i := range l.perIdx {
			seq := sc.windows[j].add(t, l.units(&l.limits[i], c), end)
			if g != nil {
				g.per[j] = seq
			}
		}
	}
	l.grants++
}

// sleepFor waits d on the registry's clock, or until ctx ends.
func (l *Limiter) sleepFor(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	fire, stop := l.reg.clock.NewTimer(d)
	select {
	case <-fire:
		return nil
	case <-ctx.Done():
		stop()
		return ctx.Err()
	}
}

// scope returns the state of one path value, creating it on first use and
// evicting idle values so memory follows the active set, not every value
// ever seen.
func (l *Limiter) scope(now int64, key string) *scoped {
	if sc, ok := l.scopes[key]; ok {
		return sc
	}
	if l.scopes == nil {
		l.scopes = make(map[string]*scoped)
	}
	// Sweep when the map has doubled, and at least once per longest
	// per-scope window, so that memory follows the users active now rather
	// than the most ever seen.
	if len(l.scopes) >= l.sweepAt || now-l.sweptAt >= l.scopeSpan() {
		l.evict(now)
		l.sweepAt = max(1024, 2*len(l.scopes))
		l.sweptAt = now
	}
	sc := &scoped{windows: make([]window, len(l.perIdx))}
	for j, i := range l.perIdx {
		sc.windows[j].set(l.limits[i], l.reg.margin, l.reg.pace)
	}
	l.scopes[key] = sc
	l.peak = max(l.peak, len(l.scopes))
	return sc
}

func (l *Limiter) evict(now int64) {
	for key, sc := range l.scopes {
		idle := true
		for j := range sc.windows {
			idle = idle && sc.windows[j].idle(now)
		}
		if idle {
			delete(l.scopes, key)
		}
	}
	// A Go map keeps its buckets after deletes: copy a map that has shrunk
	// a lot so the memory goes too.
	if len(l.scopes) < l.peak/4 {
		m := make(map[string]*scoped, len(l.scopes))
		for k, v := range l.scopes {
			m[k] = v
		}
		l.scopes = m
		l.peak = len(m)
	}
}

// scopeSpan is the longest per-scope window: state idle for that long can go.
func (l *Limiter) scopeSpan() int64 {
	span := int64(0)
	for _, i := range l.perIdx {
		span = max(span, int64(l.limits[i].Window+l.reg.margin))
	}
	return span
}

// ScopeCount reports how many path values hold state; it shows eviction at work.
func (l *Limiter) ScopeCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.scopes)
}
