package core

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStampOf(t *testing.T) {
	for body, want := range map[string]answerStamp{
		`{"entities":[{"timestamp":1,"duration":9}],"timestamp":1700000000123,"duration":3}`: {1700000000123, 3},
		`{"timestamp":"1700000000456","duration":"5"}`:                                       {1700000000456, 5},
		`{"timestamp": 1700000000789 }`:                                                      {1700000000789, -1},
		`{"timestamp":1700000000789,"data":{"mute_duration":7}}`:                             {1700000000789, -1},
	} {
		got, ok := stampOf([]byte(body))
		assert.True(t, ok, body)
		assert.Equal(t, want, got, body)
	}
	for _, body := range []string{`{}`, `{"timestamp":null}`, `{"timestamp":"x"}`, `not json`} {
		_, ok := stampOf([]byte(body))
		assert.False(t, ok, body)
	}
}

// clockSim plays calls through a serverClock one after another: each is
// granted, reaches the server after its way there, is handled for dur
// (counted half way) and comes back. The server's clock runs offset ahead
// of ours.
type clockSim struct {
	k         serverClock
	now       time.Time
	offset    time.Duration
	atAnswer  bool // the server stamps its answer, not the arrival
	lateCount bool // the server counts at the end of the handling
	noDur     bool // answers say no duration
	// phase, when set, spaces grants by 10 ms plus up to a ms, so calls
	// reach the server at every phase of its ms.
	phase *rand.Rand
}

type simCall struct {
	grant, counted, answer time.Time
	local, shared          time.Time
	ok                     bool
}

func (s *clockSim) call(there, dur, back time.Duration) simCall {
	arrival := s.now.Add(there)
	c := simCall{grant: s.now, counted: arrival.Add(dur / 2)}
	if s.lateCount {
		c.counted = arrival.Add(dur)
	}
	stamped := arrival
	if s.atAnswer {
		stamped = stamped.Add(dur)
	}
	st := answerStamp{ms: stamped.Add(s.offset).UnixMilli(), durMs: int64(dur / time.Millisecond)}
	if s.noDur {
		st.durMs = -1
	}
	c.answer = arrival.Add(dur).Add(back)
	c.local, c.shared, c.ok = s.k.countedBy(st, c.grant, c.answer)
	if !c.ok { // the answer rule
		c.local, c.shared = c.answer, c.answer
	}
	s.now = s.now.Add(10 * time.Millisecond)
	if s.phase != nil {
		s.now = s.now.Add(time.Duration(s.phase.Int64N(int64(time.Millisecond))))
	}
	return c
}

// way draws a way there of fastest + up to 30 ms, the fastest one time in
// ten; handling of 0-3 ms, a whole ms one time in two; a way back of
// 10-60 ms.
func way(rng *rand.Rand, fastest time.Duration) (there, dur, back time.Duration) {
	there = fastest
	if rng.IntN(10) > 0 {
		there += time.Duration(rng.Int64N(int64(30 * time.Millisecond)))
	}
	dur = time.Duration(rng.IntN(4)) * time.Millisecond
	if rng.IntN(2) == 0 {
		dur += time.Duration(rng.Int64N(int64(time.Millisecond)))
	}
	return there, dur, 10*time.Millisecond + time.Duration(rng.Int64N(int64(50*time.Millisecond)))
}

// safeFor reports whether a call bounded at c.local leaves room for a call
// that reaches the server leadMargin faster than fastest, the fastest
// seen: granted a window after c.local, it is counted no sooner than a
// window after c.counted. The shared bound must hold for a way there of
// zero.
func (c simCall) safeFor(fastest time.Duration) bool {
	return !c.local.Add(fastest-leadMargin).Before(c.counted) && !c.shared.Before(c.counted)
}

// The local bound is safe for any call no faster than the path's fastest
// and gains the way there, whether the server stamps its arrival or its
// answer; the shared bound assumes nothing of the way there.
func TestServerClockBoundsAreSafeAndGain(t *testing.T) {
	for _, atAnswer := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(1, 2))
		s := clockSim{now: time.Unix(1_700_000_000, 0), offset: 3*time.Hour + 123*time.Millisecond, atAnswer: atAnswer, phase: rand.New(rand.NewPCG(13, 14))}
		const fastest = 20 * time.Millisecond
		var gained, overShared time.Duration
		n := 0
		for i := range 3000 {
			c := s.call(way(rng, fastest))
			require.True(t, c.safeFor(fastest), "call %d: counted %v, local %v, shared %v", i, c.counted, c.local, c.shared)
			require.False(t, c.local.After(c.shared))
			require.False(t, c.local.Before(c.grant))
			if i >= 1000 {
				gained += c.counted.Sub(c.local)
				overShared += c.shared.Sub(c.local)
				n++
			}
		}
		// local is about fastest minus the stamps' rounding, the handling
		// and the margins before the count; shared is after the count.
		assert.Greater(t, gained/time.Duration(n), fastest/3, "stamped at answer: %v", atAnswer)
		assert.Greater(t, overShared/time.Duration(n), fastest, "stamped at answer: %v", atAnswer)
	}
}

// A server clock that steps back or forward restarts the local learning:
// no bound is unsafe, and the local bound is the shared one until enough
// answers have stood.
func TestServerClockStepsFallBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := clockSim{now: time.Unix(1_700_000_000, 0), offset: -2 * time.Hour}
	const fastest = 15 * time.Millisecond
	warm := func() {
		for range 2 * leadTrust {
			require.True(t, s.call(way(rng, fastest)).safeFor(fastest))
		}
		c := s.call(way(rng, fastest))
		require.True(t, c.local.Before(c.shared), "learnt")
	}
	warm()
	for _, step := range []time.Duration{-time.Second, 2 * time.Second, -50 * time.Millisecond, 500 * time.Millisecond} {
		s.offset += step
		for i := range leadTrust - 1 {
			c := s.call(way(rng, fastest))
			require.True(t, c.safeFor(fastest), "step %v, call %d", step, i)
			require.Equal(t, c.shared, c.local, "step %v, call %d: not trusted yet", step, i)
		}
		warm()
	}
}

// A path that gets faster by more than the margin is noticed at its first
// answer, which falls back to the shared bound, as do the next answers
// until the new fastest has stood; from then on the bounds are safe for
// the new path.
func TestServerClockFasterPathFallsBack(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := clockSim{now: time.Unix(1_700_000_000, 0)}
	for range 3 * leadTrust {
		require.True(t, s.call(way(rng, 30*time.Millisecond)).safeFor(30*time.Millisecond))
	}
	const fastest = 10 * time.Millisecond
	c := s.call(fastest, 0, 20*time.Millisecond)
	require.True(t, c.safeFor(fastest))
	require.Equal(t, c.shared, c.local)
	for i := range 5 * leadTrust {
		c := s.call(way(rng, fastest))
		require.True(t, c.safeFor(fastest), "call %d", i)
		if i < leadTrust-2 {
			require.Equal(t, c.shared, c.local, "call %d", i)
		}
	}
}

// Without a duration the count may be anywhere in the handling: the
// answer rule.
func TestServerClockWithoutDuration(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	s := clockSim{now: time.Unix(1_700_000_000, 0), noDur: true, atAnswer: true}
	for range 3 * leadTrust {
		c := s.call(way(rng, 20*time.Millisecond))
		require.False(t, c.ok)
	}
}

// A server that stamps its answers, and took long over the calls that got
// there fastest: the local bound still counts from their arrival, not
// their stamp.
func TestServerClockStampAtAnswerAfterSlowHandling(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	s := clockSim{now: time.Unix(1_700_000_000, 0), atAnswer: true}
	const fastest = 20 * time.Millisecond
	for i := range 4 * leadTrust {
		there, dur := fastest, 6*time.Millisecond
		if rng.IntN(10) > 0 {
			there, dur = fastest+5*time.Millisecond+time.Duration(rng.Int64N(int64(20*time.Millisecond))), 0
		}
		back := 10 * time.Millisecond
		c := s.call(there, dur, back)
		require.True(t, c.safeFor(fastest), "call %d", i)
	}
}

// A server that stamps arrivals and counts at the end of a long handling:
// the bounds count from the end, though most calls are handled at once.
func TestServerClockCountLateInLongHandling(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	s := clockSim{now: time.Unix(1_700_000_000, 0), lateCount: true, phase: rand.New(rand.NewPCG(15, 16))}
	const fastest = 20 * time.Millisecond
	for i := range 4 * leadTrust {
		there, _, back := way(rng, fastest)
		dur := time.Duration(0)
		if rng.IntN(10) == 0 {
			// Long handlings on slow paths: the earliest counts they allow
			// are late, so only the count's own latest holds this bound.
			there += 30 * time.Millisecond
			dur = 25*time.Millisecond + time.Duration(rng.Int64N(int64(time.Millisecond)))
		}
		c := s.call(there, dur, back)
		require.True(t, c.safeFor(fastest), "call %d", i)
	}
}

// The bound is the least that is safe under each end the stamp may mark:
// worked by hand, with leads of the fastest call seen (stamped 20 ms after
// its grant) and a call stamped at 120 ms, for each end and duration.
func TestLeadsBoundIsTheLeastSafe(t *testing.T) {
	const ms = int64(time.Millisecond)
	cases := []struct {
		name  string
		least leads
		durMs int64
		want  int64
		why   string
	}{
		{"narrow", leads{count: 19 * ms, stamp: 20 * ms}, 0, 102 * ms,
			"stamped at arrival it was counted before 122 and a later call's stamp comes 20 after its grant; stamped at answer, before 121, and a later arrival 19 after"},
		{"long handling", leads{count: 19 * ms, stamp: 20 * ms}, 3, 105 * ms,
			"stamped at arrival it may have been counted just before 125"},
		{"fastest call handled long", leads{count: 16 * ms, stamp: 20 * ms}, 0, 105 * ms,
			"stamped at answer, a later call may arrive 16 after its grant"},
	}
	for _, c := range cases {
		stamp := 120 * ms
		latest := stamp + c.durMs*ms + 2*ms
		assert.Equal(t, time.Duration(c.want), time.Duration(c.least.bound(stamp, latest)), "%s: %s", c.name, c.why)
	}
}
