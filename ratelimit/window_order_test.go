package ratelimit

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A slow answer does not hold up the expiry of the calls granted after it:
// each entry counts until one window after its own end.
func TestSlowAnswerDoesNotHoldUpLaterEntries(t *testing.T) {
	var w window
	w.set(Limit{Count: 2, Window: time.Second}, 0, 0)
	ms := int64(time.Millisecond)
	a := w.add(0, 1, inFlight)     // answered at 900 ms
	b := w.add(10*ms, 1, inFlight) // answered at 20 ms
	w.end(b, 20*ms)
	w.end(a, 900*ms)
	w.expire(1030 * ms)
	assert.Equal(t, int64(1), w.sum, "b expired at 1020 ms although a was granted first")
	assert.Equal(t, 1030*ms, w.earliest(1030*ms, 1, false), "one unit is free at once")
	assert.Equal(t, 1900*ms, w.earliest(1030*ms, 2, false), "two wait for a's end")
	w.expire(1900 * ms)
	assert.Zero(t, w.sum)
	assert.Empty(t, w.times, "all gone: the log is empty again")
}

// earliest equals a brute-force answer over random ends and costs: the
// first t at which the live entries with end+length > t leave room.
func TestEarliestMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ms := int64(time.Millisecond)
	for round := 0; round < 300; round++ {
		var w window
		max := int64(2 + rng.IntN(20))
		w.set(Limit{Count: int(max), Window: time.Second}, 0, 0)
		type entry struct{ end, cost int64 }
		var live []entry
		now := int64(0)
		for range 40 {
			now += int64(rng.IntN(80)) * ms
			w.expire(now)
			live = filter(live, func(e entry) bool { return e.end < 0 || e.end+w.length > now })
			cost := int64(1 + rng.IntN(3))
			if cost > max {
				continue
			}
			at := w.earliest(now, cost, false)
			// brute force: entries in flight end at now+AnswerMargin
			want := now
			for {
				used := int64(0)
				for _, e := range live {
					end := e.end
					if end < 0 {
						end = now + int64(AnswerMargin)
					}
					if end+w.length > want {
						used += e.cost
					}
				}
				if used+cost <= max {
					break
				}
				next := int64(1 << 62)
				for _, e := range live {
					end := e.end
					if end < 0 {
						end = now + int64(AnswerMargin)
					}
					if end+w.length > want && end+w.length < next {
						next = end + w.length
					}
				}
				want = next
			}
			require.Equal(t, want, at, "round %d", round)
			if at != now {
				continue
			}
			end := int64(inFlight)
			seq := w.add(now, cost, end)
			if rng.IntN(3) > 0 { // answered, some late
				end = now + int64(rng.IntN(500))*ms
				w.end(seq, end)
			}
			live = append(live, entry{end, cost})
		}
	}
}

func filter[T any](s []T, keep func(T) bool) []T {
	out := s[:0]
	for _, v := range s {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}
