package redisstore

import (
	"sync"
	"time"
)

// clockSync maps Redis server time onto this process's monotonic clock.
// A grant is at an absolute Redis time; sleeping "wait" from when the
// reply arrives would add the reply's latency, which varies call by call,
// to the send time. Sleeping until the grant's local equivalent does not.
// The script reads TIME between a round trip's send and its answer, so
// the offset it gives is within half the round trip of the truth, plus
// what the clocks drift apart after it. The offset kept is the one whose
// bound is tightest now, and both directions of the mapping add that
// bound, on the safe side.
type clockSync struct {
	base time.Time // monotonic reference for local microseconds

	mu     sync.Mutex
	offset int64 // redis µs - local µs
	err    int64 // µs: half the round trip the offset came from
	at     int64 // local µs when it was learnt
	known  bool
}

// maxDrift bounds how fast Redis's clock may run against ours: NTP slews
// a clock by at most 500 ppm.
const maxDrift = 500e-6

func newClockSync() *clockSync { return &clockSync{base: time.Now()} }

// local returns t in microseconds on the local monotonic scale.
func (c *clockSync) local(t time.Time) int64 {
	return c.base.UnixMicro() + t.Sub(c.base).Microseconds()
}

// observe learns from a call sent at t0, answered at t1, whose script read
// redisNow (µs).
func (c *clockSync) observe(t0, t1 time.Time, redisNow int64) {
	l0, l1 := c.local(t0), c.local(t1)
	err := (l1 - l0 + 1) / 2
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.known || err < c.errAt(l1) {
		c.offset, c.err, c.at, c.known = redisNow-(l0+l1)/2, err, l1, true
	}
}

// errAt is the offset's error at local time l (µs); c.mu is held.
func (c *clockSync) errAt(l int64) int64 {
	return c.err + int64(float64(max(0, l-c.at))*maxDrift) + 2 // +2: the µs truncations
}

// waitUntil converts a grant at Redis time at (µs) into a wait from now
// that ends when Redis's clock has surely reached at.
func (c *clockSync) waitUntil(at int64, now time.Time) time.Duration {
	l := c.local(now)
	c.mu.Lock()
	target := at - c.offset
	target += c.errAt(max(l, target)) // the drift up to the target
	c.mu.Unlock()
	return max(0, time.Duration(target-l)*time.Microsecond)
}

// latest returns a Redis time (µs) no earlier than local time t; false
// before any round trip.
func (c *clockSync) latest(t time.Time) (int64, bool) {
	l := c.local(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	return l + c.offset + c.errAt(l), c.known
}
