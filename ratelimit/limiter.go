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
	reg   *Registry

	mu      sync.Mutex
	limits  []Limit // effective limits, after overrides and safety factor
	shared  []window
	perIdx  []int // indexes into limits of the per-scope limits
	scopes  map[string]*scoped
	sweepAt int // scope count that triggers the next eviction sweep
}

type scoped struct{ windows []window }

// Group returns the group name.
func (l *Limiter) Group() string { return l.group }

// Limits returns the limits in force (after overrides and safety factor).
func (l *Limiter) Limits() []Limit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Limit(nil), l.limits...)
}

func (l *Limiter) configure(limits []Limit, factor float64, margin time.Duration) {
	l.limits = make([]Limit, len(limits))
	keepShared := len(l.shared) == countShared(limits)
	if !keepShared {
		l.shared = make([]window, 0, len(limits))
	}
	l.perIdx = l.perIdx[:0]
	shared := 0
	for i, lim := range limits {
		lim.Count = scaled(lim.Count, factor)
		l.limits[i] = lim
		if lim.Per != "" {
			l.perIdx = append(l.perIdx, i)
			continue
		}
		if !keepShared {
			l.shared = append(l.shared, window{})
		}
		w := &l.shared[shared]
		w.max, w.span = int64(lim.Count), int64(lim.Window+margin)
		shared++
	}
	if len(l.scopes) > 0 && len(l.perIdx) == len(l.scopes[anyKey(l.scopes)].windows) {
		for _, sc := range l.scopes {
			for j, i := range l.perIdx {
				sc.windows[j].max, sc.windows[j].span = int64(l.limits[i].Count), int64(l.limits[i].Window+margin)
			}
		}
	} else {
		l.scopes = nil // the sides changed: start the per-scope state afresh
	}
}

func anyKey(m map[string]*scoped) string {
	for k := range m {
		return k
	}
	return ""
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
	t, _, err := l.earliest(now, c)
	return time.Duration(t - now), err
}

func (l *Limiter) acquire(ctx context.Context, c Cost, block bool) error {
	l.mu.Lock()
	now := l.reg.now()
	at, sc, err := l.earliest(now, c)
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
	}
	var r reservation
	l.commit(at, c, sc, &r)
	l.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	return l.sleep(ctx, wait, c, &r)
}

// reservation remembers where a waiting call's entries are, to give them
// back if the caller gives up.
type reservation struct {
	shared [4]uint64
	per    [4]uint64
	sc     *scoped
}

// earliest finds the first time every side fits. It expires old entries
// and may create the scope's state, but spends nothing.
func (l *Limiter) earliest(now int64, c Cost) (int64, *scoped, error) {
	at := now
	si := 0
	for i := range l.limits {
		lim := &l.limits[i]
		if lim.Per != "" {
			continue
		}
		u := l.units(lim, c)
		if u > int64(lim.Count) {
			return 0, nil, ErrCostTooHigh
		}
		w := &l.shared[si]
		si++
		w.expire(now)
		at = max(at, w.earliest(now, u))
	}
	if len(l.perIdx) == 0 {
		return at, nil, nil
	}
	sc := l.scope(now, c.Scope)
	for j, i := range l.perIdx {
		lim := &l.limits[i]
		u := l.units(lim, c)
		if u > int64(lim.Count) {
			return 0, nil, ErrCostTooHigh
		}
		w := &sc.windows[j]
		w.expire(now)
		at = max(at, w.earliest(now, u))
	}
	return at, sc, nil
}

func (l *Limiter) commit(at int64, c Cost, sc *scoped, r *reservation) {
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

func (l *Limiter) sleep(ctx context.Context, wait time.Duration, c Cost, r *reservation) error {
	fire, stop := l.reg.clock.NewTimer(wait)
	select {
	case <-fire:
		return nil
	case <-ctx.Done():
		stop()
	}
	l.mu.Lock()
	for i := range min(len(l.shared), len(r.shared)) {
		l.shared[i].cancel(r.shared[i])
	}
	if r.sc != nil {
		for j := range min(len(r.sc.windows), len(r.per)) {
			r.sc.windows[j].cancel(r.per[j])
		}
	}
	l.mu.Unlock()
	return ctx.Err()
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
	if len(l.scopes) >= l.sweepAt {
		l.evict(now)
		l.sweepAt = max(1024, 2*len(l.scopes))
	}
	sc := &scoped{windows: make([]window, len(l.perIdx))}
	for j, i := range l.perIdx {
		sc.windows[j].max = int64(l.limits[i].Count)
		sc.windows[j].span = int64(l.limits[i].Window + l.reg.margin)
	}
	l.scopes[key] = sc
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
}

// ScopeCount reports how many path values hold state; it shows eviction at work.
func (l *Limiter) ScopeCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.scopes)
}
