package redisstore

import (
	"sync"
	"time"
)

// clockSync maps Redis server time onto this process's monotonic clock.
// A grant is at an absolute Redis time; sleeping "wait" from when the
// reply arrives would add the reply's latency, which varies call by call,
// to the send time. Sleeping until the grant's local equivalent does not.
// The offset comes from the round trip with the lowest latency seen, whose
// error is at most half that round trip.
type clockSync struct {
	base time.Time // monotonic reference for local microseconds

	mu      sync.Mutex
	bestRTT int64 // µs; slowly raised so a changed path can be re-learnt
	offset  int64 // redis µs - local µs
	known   bool
}

func newClockSync() *clockSync { return &clockSync{base: time.Now()} }

// local returns t in microseconds on the local monotonic scale.
func (c *clockSync) local(t time.Time) int64 {
	return c.base.UnixMicro() + t.Sub(c.base).Microseconds()
}

// observe learns from a call sent at t0, answered at t1, whose script read
// redisNow (µs).
func (c *clockSync) observe(t0, t1 time.Time, redisNow int64) {
	l0, l1 := c.local(t0), c.local(t1)
	rtt := l1 - l0
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bestRTT += c.bestRTT/64 + 1 // forget an old best over a few hundred calls
	if !c.known || rtt <= c.bestRTT {
		c.bestRTT, c.offset, c.known = rtt, redisNow-(l0+l1)/2, true
	}
}

// waitUntil converts a grant at Redis time at (µs) into a wait from now.
func (c *clockSync) waitUntil(at int64, now time.Time) time.Duration {
	c.mu.Lock()
	off := c.offset
	c.mu.Unlock()
	return max(0, time.Duration(at-off-c.local(now))*time.Microsecond)
}
