package redisstore

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClockSyncKeepsTheTightestBound(t *testing.T) {
	c := newClockSync()
	_, known := c.latest(time.Now())
	assert.False(t, known, "nothing to map with before a round trip")
	t0 := c.base
	// Redis is 5 s ahead. A slow round trip whose reply was delayed gives a
	// wrong offset; the fast one that follows replaces it.
	redis := func(t time.Time) int64 { return c.local(t) + 5_000_000 }
	c.observe(t0, t0.Add(40*time.Millisecond), redis(t0.Add(2*time.Millisecond)))
	assert.InDelta(t, 5_000_000-18_000, c.offset, 1)
	c.observe(t0.Add(time.Second), t0.Add(time.Second+200*time.Microsecond), redis(t0.Add(time.Second+100*time.Microsecond)))
	assert.InDelta(t, 5_000_000, c.offset, 1)
	// A later slow sample does not undo it: its bound (15 ms) is looser
	// than the fast one's, aged by a second (0.1 ms + 0.5 ms of drift).
	c.observe(t0.Add(2*time.Second), t0.Add(2*time.Second+30*time.Millisecond), redis(t0.Add(2*time.Second+29*time.Millisecond)))
	assert.InDelta(t, 5_000_000, c.offset, 1)

	// A grant 100 ms ahead in Redis time is a 100 ms wait now, plus the
	// bound: half the round trip and the drift since.
	now := t0.Add(3 * time.Second)
	bound := 100*time.Microsecond + time.Duration(float64(2100*time.Millisecond)*maxDrift) + 3*time.Microsecond
	wait := c.waitUntil(redis(now)+100_000, now)
	assert.GreaterOrEqual(t, wait, 100*time.Millisecond)
	assert.LessOrEqual(t, wait, 100*time.Millisecond+bound)
	assert.Zero(t, c.waitUntil(redis(now)-5_000, now), "a grant in the past is no wait")
	latest, ok := c.latest(now)
	require.True(t, ok)
	assert.GreaterOrEqual(t, latest, redis(now))
	assert.LessOrEqual(t, latest, redis(now)+bound.Microseconds())
}

// Whatever the legs of the round trips, a wait never ends before Redis's
// clock reaches the grant and a mapped time is never earlier than Redis's.
func TestClockSyncErrsOnTheSafeSide(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 200 {
		c := newClockSync()
		skew := rng.Int64N(10_000_000) - 5_000_000
		redis := func(l int64) int64 { return l + skew }
		at := c.base
		for range 20 {
			at = at.Add(time.Duration(rng.Int64N(int64(50 * time.Millisecond))))
			out := time.Duration(rng.Int64N(int64(3 * time.Millisecond)))
			back := time.Duration(rng.Int64N(int64(3 * time.Millisecond)))
			c.observe(at, at.Add(out+back), redis(c.local(at.Add(out))))
			at = at.Add(out + back)

			now := at.Add(time.Duration(rng.Int64N(int64(time.Second))))
			grant := redis(c.local(now)) + rng.Int64N(2_000_000) - 500_000
			woke := now.Add(c.waitUntil(grant, now))
			require.GreaterOrEqual(t, redis(c.local(woke)), grant, "trial %d: woke before the grant", trial)
			latest, _ := c.latest(now)
			require.GreaterOrEqual(t, latest, redis(c.local(now)), "trial %d", trial)
		}
	}
}
