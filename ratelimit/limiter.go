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
	sweepAt int    // scope count that triggers the next eviction sweep
	sweptAt int64  // time of the last sweep
	peak    int    // most scopes held since the map was last rebuilt
	layout  uint64 // bumped when an override moves windows

	adaptive               // the rate learnt from the server's refusals
	bulk     chan struct{} // held by the bulk caller at the head of the queue
	grants   int64
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
		// Pending reservations hold window positions that no longer apply.
		l.layout++
	}
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

func (l *Limiter) units(lim *Limit, c Cost) int64 {
	if lim.Unit == Messages {
		return int64(max(1, c.Messages))
	}
	return 1
}

// Wait blocks until the call fits every limit of the group, then spends it.
// If ctx's deadline comes before the quota, Wait returns a *WaitError at
// once without spending anything.
func (l *Limiter) Wait(ctx context.Context, c Cost) error {
	return l.acquire(ctx, c, true)
}

// Allow spends the quota if the call fits now and reports whether it did.
func (l *Limiter) Allow(c Cost) bool {
	return l.acquire(context.Background(), c, false) == nil
}

// Delay reports how long a call of cost c would wait now, without spending
// anything; it is what a caller planning a batch needs.
func (l *Limiter) Delay(c Cost) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.reg.now()
	t, _, _, err := l.earliest(now, c)
	if err != nil {
		return 0, err
	}
	return time.Duration(t - now), nil
}

func (l *Limiter) acquire(ctx context.Context, c Cost, block bool) error {
	if l.reg.store != nil {
		return l.acquireShared(ctx, c, block)
	}
	return l.acquireLocal(ctx, c, block)
}

// acquireLocal decides a call with the in-process windows.
func (l *Limiter) acquireLocal(ctx context.Context, c Cost, block bool) error {
	for {
		l.mu.Lock()
		now := l.reg.now()
		l.recover(now)
		at, sharedAt, sc, err := l.earliest(now, c)
		if err != nil {
			l.mu.Unlock()
			return err
		}
		wait := time.Duration(at - now)
		if wait > 0 {
			if !block {
				l.mu.Unlock()
				return &WaitError{Group: l.group, Wait: wait}
			}
			if dl, ok := ctx.Deadline(); ok && at > l.reg.since(dl) {
				l.mu.Unlock()
				return &WaitError{Group: l.group, Wait: wait, deadline: true}
			}
			if PriorityOf(ctx) == Bulk {
				l.mu.Unlock()
				return l.waitBulk(ctx, c)
			}
		}
		// A call held back only by its own scope reserves in that scope
		// alone: App Key sides take entries in time order, so a far-off
		// entry there would make every other scope queue behind it. It
		// takes the App Key sides when its time comes.
		late := at > sharedAt
		l.grants++
		r := reservation{layout: l.layout}
		if !late {
			l.commitShared(at, c, &r)
		}
		l.commitScope(at, c, sc, &r)
		l.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		if err := l.sleep(ctx, wait, &r); err != nil {
			return err
		}
		if !late || l.takeShared(c, &r) {
			return nil
		}
	}
}

// reservation remembers where a waiting call's entries are, to give them
// back if the caller gives up.
type reservation struct {
	shared   [maxSides]uint64
	per      [maxSides]uint64
	sc       *scoped
	inShared bool   // shared holds entries
	layout   uint64 // Limiter.layout when the entries were made
}

// earliest finds the first time every side fits, and the first time the App
// Key sides alone fit. It expires old entries and may create the scope's
// state, but spends nothing.
func (l *Limiter) earliest(now int64, c Cost) (at, sharedAt int64, sc *scoped, err error) {
	sharedAt, err = l.sharedEarliest(now, c)
	if err != nil || len(l.perIdx) == 0 {
		return sharedAt, sharedAt, nil, err
	}
	at = sharedAt
	sc = l.scope(now, c.Scope)
	for j, i := range l.perIdx {
		lim := &l.limits[i]
		u := l.units(lim, c)
		if u > int64(lim.Count) {
			return 0, 0, nil, ErrCostTooHigh
		}
		w := &sc.windows[j]
		w.expire(now)
		at = max(at, w.earliest(now, u))
	}
	return at, sharedAt, sc, nil
}

func (l *Limiter) sharedEarliest(now int64, c Cost) (int64, error) {
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
		at = max(at, w.earliest(now, u))
	}
	return at, nil
}

func (l *Limiter) commitShared(at int64, c Cost, r *reservation) {
	si := 0
	for i := range l.limits {
		lim := &l.limits[i]
		if lim.Per != "" {
			continue
		}
		seq := l.shared[si].add(at, l.units(lim, c))
		if si < len(r.shared) {
			r.shared[si] = seq
		}
		si++
	}
	r.inShared = true
}

func (l *Limiter) commitScope(at int64, c Cost, sc *scoped, r *reservation) {
	if sc == nil {
		return
	}
	r.sc = sc
	for j, i := range l.perIdx {
		seq := sc.windows[j].add(at, l.units(&l.limits[i], c))
		if j < len(r.per) {
			r.per[j] = seq
		}
	}
}

// takeShared spends the App Key sides for a call whose scope slot has come.
// If they filled up meanwhile, it gives the scope slot back and reports
// false so that the call queues again.
func (l *Limiter) takeShared(c Cost, r *reservation) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.reg.now()
	if at, err := l.sharedEarliest(now, c); err != nil || at > now {
		l.giveBack(r)
		return false
	}
	l.commitShared(now, c, r)
	return true
}

func (l *Limiter) sleep(ctx context.Context, wait time.Duration, r *reservation) error {
	err := l.sleepFor(ctx, wait)
	if err != nil {
		l.mu.Lock()
		l.giveBack(r)
		l.mu.Unlock()
	}
	return err
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

// giveBack cancels the entries of a reservation; l.mu must be held.
func (l *Limiter) giveBack(r *reservation) {
	if r.layout != l.layout {
		return // the entries moved: keeping their cost errs on the safe side
	}
	if r.inShared {
		for i := range min(len(l.shared), len(r.shared)) {
			l.shared[i].cancel(r.shared[i])
		}
	}
	if r.sc != nil {
		for j := range min(len(r.sc.windows), len(r.per)) {
			r.sc.windows[j].cancel(r.per[j])
		}
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
