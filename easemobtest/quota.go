package easemobtest

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// Algorithm selects how the emulator enforces each limit on its side. The
// client does not know which one the real server uses, so tests can check
// that it copes with all three.
type Algorithm int

const (
	// SlidingWindow (the default) accepts a call when the units accepted in
	// the last Window plus its cost stay within Count: the strictest reading
	// of "Count per Window".
	SlidingWindow Algorithm = iota
	// FixedWindow counts per window aligned on multiples of Window since the
	// Unix epoch, and forgets everything at each boundary, so up to 2×Count
	// can pass around a boundary.
	FixedWindow
	// TokenBucket holds Count tokens, starts full and refills Count tokens
	// per Window continuously.
	TokenBucket
)

// String returns the algorithm's name, e.g. "sliding-window".
func (a Algorithm) String() string {
	switch a {
	case SlidingWindow:
		return "sliding-window"
	case FixedWindow:
		return "fixed-window"
	case TokenBucket:
		return "token-bucket"
	}
	return fmt.Sprintf("algorithm(%d)", int(a))
}

// GroupStats is what the emulator saw of one quota group since it started
// or since the last ResetStats.
type GroupStats struct {
	// Received counts every request that reached the group's quota check,
	// including rejected and fault-injected ones.
	Received int
	// Accepted counts requests that passed the quota check (the handler may
	// still have answered an error).
	Accepted int
	// RateLimited counts 429 reach_limit answers (a Calls side was over, or
	// FailNext injected a 429).
	RateLimited int
	// QuotaExceeded counts 403 answers for a Messages side over its quota.
	QuotaExceeded int
	// MaxInWindow has one entry per limit of the group, in order: the largest
	// number of units received in any window of that limit's length (for a
	// per-user limit, the largest over all users). Comparing it with the
	// limit's Count tells whether a client ever sent more than the quota.
	// A pooled group's limits are its pool's, so these count every group
	// of the pool.
	MaxInWindow []int
}

// arrival is a number of units that arrived at one instant (Unix ns).
type arrival struct {
	at int64
	n  int
}

// windowLog holds the arrivals of the last w nanoseconds and their sum; an
// arrival at t counts while now-t < w. Time must not go backwards
// (quotaTable.counted sees to it).
type windowLog struct {
	w    int64
	q    []arrival
	head int
	sum  int
}

func (l *windowLog) expire(now int64) {
	for l.head < len(l.q) && now-l.q[l.head].at >= l.w {
		l.sum -= l.q[l.head].n
		l.head++
	}
	// Reclaim the expired prefix once it is most of the slice, so memory
	// follows the window's content, not the history.
	if l.head > 0 && l.head*2 >= len(l.q) {
		l.q = append(l.q[:0], l.q[l.head:]...)
		l.head = 0
	}
}

func (l *windowLog) add(now int64, n int) {
	// Simultaneous arrivals share one entry: a burst costs one slot.
	if k := len(l.q) - 1; k >= l.head && l.q[k].at == now {
		l.q[k].n += n
	} else {
		l.q = append(l.q, arrival{now, n})
	}
	l.sum += n
}

// limiter enforces one limit for one scope value. fits does not spend:
// a call takes every side of its group or none. idle reports that the
// limiter is as good as new, so it can be forgotten.
type limiter interface {
	fits(now int64, n int) bool
	take(now int64, n int)
	idle(now int64) bool
}

func newLimiter(alg Algorithm, l ratelimit.Limit) limiter {
	w := int64(l.Window)
	switch alg {
	case FixedWindow:
		return &fixedLimiter{count: l.Count, w: w, idx: math.MinInt64}
	case TokenBucket:
		return newBucket(int64(l.Count), w)
	}
	return &slidingLimiter{count: l.Count, log: windowLog{w: w}}
}

// slidingLimiter is an exact sliding-window log of accepted units.
type slidingLimiter struct {
	count int
	log   windowLog
}

func (s *slidingLimiter) fits(now int64, n int) bool {
	s.log.expire(now)
	return s.log.sum+n <= s.count
}

func (s *slidingLimiter) take(now int64, n int) { s.log.add(now, n) }

func (s *slidingLimiter) idle(now int64) bool {
	s.log.expire(now)
	return s.log.sum == 0
}

// fixedLimiter counts units in the epoch-aligned window holding now.
type fixedLimiter struct {
	count int
	w     int64
	idx   int64 // index of the current window
	used  int
}

func (f *fixedLimiter) roll(now int64) {
	i := now / f.w
	if now < 0 && now%f.w != 0 {
		i-- // floor, for clocks before 1970
	}
	if i != f.idx {
		f.idx, f.used = i, 0
	}
}

func (f *fixedLimiter) fits(now int64, n int) bool {
	f.roll(now)
	return f.used+n <= f.count
}

func (f *fixedLimiter) take(now int64, n int) {
	f.roll(now)
	f.used += n
}

func (f *fixedLimiter) idle(now int64) bool {
	f.roll(now)
	return f.used == 0
}

// bucketLimiter keeps its level in units×ticks so refills are exact integer
// arithmetic: each tick adds count to the level, and a unit costs w ticks'
// worth (w is the window in ticks).
type bucketLimiter struct {
	count, w, tick int64
	level, last    int64
	started        bool
}

func newBucket(count, window int64) *bucketLimiter {
	tick := int64(1)
	// Coarsen the tick until 2×count×w fits in an int64 (a refill adds less
	// than a full bucket to the level); only huge daily quotas need it.
	for window/tick > 1 && window/tick > math.MaxInt64/2/max(count, 1) {
		tick *= 1000
	}
	return &bucketLimiter{count: count, w: max(window/tick, 1), tick: tick}
}

func (b *bucketLimiter) refill(now int64) {
	t := now / b.tick
	if !b.started {
		b.started, b.level, b.last = true, b.count*b.w, t
		return
	}
	el := t - b.last
	if el <= 0 {
		return
	}
	b.last = t
	// After a whole window the bucket is full whatever the level was.
	if el >= b.w {
		b.level = b.count * b.w
		return
	}
	b.level = min(b.count*b.w, b.level+el*b.count)
}

func (b *bucketLimiter) fits(now int64, n int) bool {
	b.refill(now)
	return int64(n) <= b.count && b.level >= int64(n)*b.w
}

func (b *bucketLimiter) take(now int64, n int) {
	b.refill(now)
	b.level -= int64(n) * b.w
}

func (b *bucketLimiter) idle(now int64) bool {
	b.refill(now)
	return b.level == b.count*b.w
}

// side is one limit of a group: a limiter and an arrival log per scope value.
type side struct {
	limit    ratelimit.Limit
	limiters map[string]limiter
	seen     map[string]*windowLog // received units, for MaxInWindow
	maxIn    int
	sweepAt  int // scope count that triggers the next sweep of idle scopes
}

// sweep forgets the scope values that received nothing for a whole window
// and whose limiters are as good as new (an empty log, a past fixed
// window, a full bucket), so memory follows the active users only.
func (s *side) sweep(now int64) {
	if max(len(s.seen), len(s.limiters)) < s.sweepAt {
		return
	}
	s.forgetIdle(now)
	s.sweepAt = max(1024, 2*max(len(s.seen), len(s.limiters)))
}

// forgetIdle drops the arrival logs and limiters that hold nothing.
func (s *side) forgetIdle(now int64) {
	for key, log := range s.seen {
		if log.expire(now); log.sum == 0 {
			delete(s.seen, key)
		}
	}
	for key, lim := range s.limiters {
		if lim.idle(now) {
			delete(s.limiters, key)
		}
	}
}

type groupState struct {
	quota    ratelimit.Quota
	sides    []*side
	messages bool       // some side counts Messages
	stats    GroupStats // MaxInWindow is filled from sides on read
}

// verdict is the outcome of a quota check.
type verdict uint8

const (
	admitted     verdict = iota
	overCalls            // a Calls side is over: 429 reach_limit
	overMessages         // a Messages side is over: 403
)

// quotaTable holds the server-side state of every group.
type quotaTable struct {
	mu     sync.Mutex
	alg    Algorithm
	groups []*groupState
	byName map[string]int
	pools  map[string][]int // pool name -> its groups' indexes
	// latest is the newest instant counted: calls read the clock before
	// taking the lock, so one may come in with an instant older than the
	// last; it is counted at the last instead, and the logs stay in order.
	latest int64
}

// counted is the instant a call reaching the check at now is counted at;
// q.mu is held.
func (q *quotaTable) counted(now time.Time) int64 {
	q.latest = max(q.latest, now.UnixNano())
	return q.latest
}

func newQuotaTable(alg Algorithm, quotas []ratelimit.Quota) (*quotaTable, error) {
	if alg < SlidingWindow || alg > TokenBucket {
		return nil, fmt.Errorf("easemobtest: unknown algorithm %v", alg)
	}
	q := &quotaTable{alg: alg, byName: make(map[string]int, len(quotas)), pools: map[string][]int{}}
	for i, quota := range quotas {
		for _, l := range quota.Limits {
			switch {
			case l.Count <= 0 || l.Window <= 0:
				return nil, fmt.Errorf("easemobtest: group %q: invalid limit %v", quota.Group, l)
			case quota.Pool != "" && l.Per != "":
				return nil, fmt.Errorf("easemobtest: pool %q: limit %v is per path value", quota.Pool, l)
			}
		}
		gs := &groupState{quota: quota}
		if members := q.pools[quota.Pool]; quota.Pool != "" && len(members) > 0 {
			// The groups of a pool count on the same sides: one budget.
			first := q.groups[members[0]]
			if !slices.Equal(first.quota.Limits, quota.Limits) {
				return nil, fmt.Errorf("easemobtest: pool %q: group %q has limits %v, group %q %v",
					quota.Pool, quota.Group, quota.Limits, first.quota.Group, first.quota.Limits)
			}
			gs.sides, gs.messages = first.sides, first.messages
		} else {
			for _, l := range quota.Limits {
				gs.sides = append(gs.sides, &side{limit: l})
				gs.messages = gs.messages || l.Unit == ratelimit.Messages
			}
		}
		gs.reset(0)
		q.groups = append(q.groups, gs)
		q.byName[quota.Group] = i
		if quota.Pool != "" {
			q.pools[quota.Pool] = append(q.pools[quota.Pool], i)
		}
	}
	for pool := range q.pools {
		if _, clash := q.byName[pool]; clash {
			return nil, fmt.Errorf("easemobtest: pool %q is also the name of a group", pool)
		}
	}
	return q, nil
}

// reset zeroes the stats and arrival logs; limiters still holding quota
// are kept, the others freed.
func (gs *groupState) reset(now int64) {
	gs.stats = GroupStats{}
	for _, s := range gs.sides {
		s.seen, s.maxIn = map[string]*windowLog{}, 0
		if s.limiters == nil {
			s.limiters = map[string]limiter{}
		}
		s.forgetIdle(now)
	}
}

// scopeFunc returns the value of a path parameter of the current request.
type scopeFunc func(param string) string

func scopeKey(l ratelimit.Limit, scope scopeFunc) string {
	if l.Per == "" || scope == nil {
		return ""
	}
	// User IDs are case-insensitive, so Alice and alice share one budget.
	return strings.ToLower(scope(l.Per))
}

func cost(l ratelimit.Limit, units int) int {
	if l.Unit == ratelimit.Messages {
		return max(units, 1)
	}
	return 1
}

// receive records an arrival on every side's log and updates MaxInWindow.
func (gs *groupState) receive(now int64, scope scopeFunc, units int) {
	gs.stats.Received++
	for _, s := range gs.sides {
		key := scopeKey(s.limit, scope)
		log := s.seen[key]
		if log == nil {
			s.sweep(now)
			log = &windowLog{w: int64(s.limit.Window)}
			s.seen[key] = log
		}
		log.expire(now)
		log.add(now, cost(s.limit, units))
		s.maxIn = max(s.maxIn, log.sum)
	}
}

// admit checks every side of group g and takes them all, or none when one
// is over. units is the message count of the call (ignored by Calls sides).
func (q *quotaTable) admit(g int, now time.Time, scope scopeFunc, units int) verdict {
	q.mu.Lock()
	defer q.mu.Unlock()
	ns := q.counted(now)
	gs := q.groups[g]
	gs.receive(ns, scope, units)
	v := admitted
	lims := make([]limiter, len(gs.sides))
	for i, s := range gs.sides {
		key := scopeKey(s.limit, scope)
		lim := s.limiters[key]
		if lim == nil {
			lim = newLimiter(q.alg, s.limit)
			s.limiters[key] = lim
		}
		lims[i] = lim
		if !lim.fits(ns, cost(s.limit, units)) {
			// The call rate is checked before the message quota: a call
			// over both answers 429.
			if s.limit.Unit == ratelimit.Calls {
				v = overCalls
			} else if v == admitted {
				v = overMessages
			}
		}
	}
	switch v {
	case admitted:
		for i, s := range gs.sides {
			lims[i].take(ns, cost(s.limit, units))
		}
		gs.stats.Accepted++
	case overCalls:
		gs.stats.RateLimited++
	case overMessages:
		gs.stats.QuotaExceeded++
	}
	return v
}

// injected records a request that FailNext answered before the quota
// check: the client spent it, so it counts as received.
func (q *quotaTable) injected(g int, now time.Time, scope scopeFunc, units, status int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	gs := q.groups[g]
	gs.receive(q.counted(now), scope, units)
	if status == 429 {
		gs.stats.RateLimited++
	}
}

// countsMessages reports whether a call's cost depends on its message count.
func (q *quotaTable) countsMessages(g int) bool { return q.groups[g].messages }

// stats returns a group's counters, or for a pool's name the sum of its
// groups' with the pool's MaxInWindow.
func (q *quotaTable) stats(name string) GroupStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	members := q.pools[name]
	if i, ok := q.byName[name]; ok {
		members = []int{i}
	}
	if len(members) == 0 {
		return GroupStats{}
	}
	var st GroupStats
	for _, i := range members {
		g := q.groups[i].stats
		st.Received += g.Received
		st.Accepted += g.Accepted
		st.RateLimited += g.RateLimited
		st.QuotaExceeded += g.QuotaExceeded
	}
	sides := q.groups[members[0]].sides
	st.MaxInWindow = make([]int, len(sides))
	for k, s := range sides {
		st.MaxInWindow[k] = s.maxIn
	}
	return st
}

func (q *quotaTable) totalRateLimited() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for _, gs := range q.groups {
		n += gs.stats.RateLimited
	}
	return n
}

func (q *quotaTable) resetStats(now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, gs := range q.groups {
		gs.reset(now.UnixNano())
	}
}
