package redisstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClockSyncKeepsTheFastestRoundTrip(t *testing.T) {
	c := newClockSync()
	t0 := c.base
	// Redis is 5 s ahead. A slow round trip whose reply was delayed gives a
	// wrong offset; the fast one that follows replaces it.
	redis := func(t time.Time) int64 { return c.local(t) + 5_000_000 }
	c.observe(t0, t0.Add(40*time.Millisecond), redis(t0.Add(2*time.Millisecond)))
	assert.InDelta(t, 5_000_000-18_000, c.offset, 1)
	c.observe(t0.Add(time.Second), t0.Add(time.Second+200*time.Microsecond), redis(t0.Add(time.Second+100*time.Microsecond)))
	assert.InDelta(t, 5_000_000, c.offset, 1)
	// A later slow sample does not undo it.
	c.observe(t0.Add(2*time.Second), t0.Add(2*time.Second+30*time.Millisecond), redis(t0.Add(2*time.Second+29*time.Millisecond)))
	assert.InDelta(t, 5_000_000, c.offset, 1)

	// A grant 100 ms ahead in Redis time is a 100 ms wait now.
	now := t0.Add(3 * time.Second)
	assert.Equal(t, 100*time.Millisecond, c.waitUntil(redis(now)+100_000, now))
	assert.Zero(t, c.waitUntil(redis(now)-5, now), "a grant in the past is no wait")
}
