package core

import (
	"bytes"
	"strconv"
	"sync"
	"time"
)

// serverClock learns, from the "timestamp" and "duration" of the server's
// answers, when the server counted each call, so that the call holds its
// quota for one window from then rather than from its answer. It gives two
// bounds of that instant, both within [grant, answer]:
//
//   - shared assumes nothing of the network. Each answer bounds the offset
//     (server minus local) from below by stamp - answer; the largest of
//     these places a count no later than stamp - lo, which gains the
//     return leg of the fastest answers. The store takes this one: other
//     processes may be nearer the server than this one.
//   - local gains the way there too. An answer's lead, the earliest server
//     instant its count can have had minus its grant, is the offset plus
//     this process's way there; the least lead seen, L, says that a call
//     granted at g is not counted before g + L on the server's clock
//     unless it gets there faster than every recent call. A call counted
//     by server instant c so holds until c - L + window: the next call let
//     through then is counted a window after c. Only the way there's
//     jitter is lost, not the round trip. A server stamps the same end of
//     every call's handling, so c and L are taken under each end in turn
//     (leads.bound), not under the worst of both at once: a ms less.
//
// Both fail safe. Bounds age by maxDrift (clocks drift). A shared bound
// that contradicts the learnt ones (a server clock that jumped) restarts
// that learning. A call counted, at the latest, before L allows by more
// than leadMargin (a shorter path, or a server clock stepped back), or a
// lead above L by more than the round trip explains (stepped forward),
// restarts the local learning, and local falls back to shared until
// leadTrust answers have stood. An answer without a usable stamp or
// duration, or a bound outside [grant, answer], gives the answer rule.
type serverClock struct {
	mu     sync.Mutex
	base   time.Time // origin of the local scale: times from Sub, so monotonic
	baseNs int64

	known  bool
	lo, hi int64     // offset bounds, ns
	at     time.Time // when lo was learnt
	hiAt   time.Time

	lead leastLead
}

// stampMargin is added to every shared bound: a server clock stepping back
// by less than a request's way there goes unnoticed, and this covers small
// steps.
const stampMargin = 2 * time.Millisecond

// maxDrift is how fast two clocks may drift apart: 200 ppm, far above
// what NTP-run hosts show.
const maxDrift = 200e-6

// answerStamp is what an answer says of the server's clock.
type answerStamp struct {
	ms    int64 // the server's timestamp, Unix ms
	durMs int64 // the ms it spent on the call; < 0 when not said
}

// countedBy returns the latest local instants at which the server can have
// counted a call granted at grant and answered at answer: local for this
// process's log, shared for the store's. ok is false when neither beats
// the answer rule.
func (k *serverClock) countedBy(s answerStamp, grant, answer time.Time) (local, shared time.Time, ok bool) {
	const ms = int64(time.Millisecond)
	stamp := s.ms * ms
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.base.IsZero() {
		k.base, k.baseNs = grant, grant.UnixNano()
	}
	g, a := k.scale(grant), k.scale(answer)
	lo := k.learnOffset(stamp-a, stamp+ms-g, answer)
	if s.durMs < 0 {
		return time.Time{}, time.Time{}, false // the count may be anywhere in the handling
	}
	// The stamp marks the arrival or the answer, and the count comes when
	// the server checks the quota, in between: within duration of the
	// stamp either way. Both are truncated to the ms, so the duration may
	// be nearly a ms longer than it says.
	latest := stamp + s.durMs*ms + 2*ms
	earliest := stamp - s.durMs*ms - ms
	sharedNs := latest - lo + int64(stampMargin)
	if sharedNs < g || sharedNs > a {
		sharedNs = a
	}
	localNs := sharedNs
	above := a - g + latest - earliest + int64(leadMargin)
	if least, trusted := k.lead.learn(earliest-g, stamp-g, latest-g, above, answer); trusted {
		localNs = min(least.bound(stamp, latest)+int64(leadMargin), sharedNs)
	}
	if localNs == a {
		return time.Time{}, time.Time{}, false
	}
	return k.unscale(localNs), k.unscale(sharedNs), true
}

// learnOffset takes one answer's offset bounds and returns the largest
// lower bound learnt, restarting on a contradiction.
func (k *serverClock) learnOffset(lo, hi int64, answer time.Time) int64 {
	if k.known {
		curLo, curHi := k.lo-age(k.at, answer), k.hi+age(k.hiAt, answer)
		if lo > curHi || hi < curLo {
			k.known = false // the server's clock jumped: learn again
		} else {
			k.lo, k.hi = max(lo, curLo), min(hi, curHi)
			k.at, k.hiAt = answer, answer
		}
	}
	if !k.known {
		k.known, k.lo, k.hi, k.at, k.hiAt = true, lo, hi, answer, answer
	}
	return k.lo
}

func (k *serverClock) scale(t time.Time) int64    { return k.baseNs + int64(t.Sub(k.base)) }
func (k *serverClock) unscale(ns int64) time.Time { return k.base.Add(time.Duration(ns - k.baseNs)) }

// age is how far two clocks may have drifted apart since t.
func age(t, now time.Time) int64 { return int64(float64(max(now.Sub(t), 0)) * maxDrift) }

// leadMargin is how much faster than the fastest recent call a request
// may get to the server: below it, the local bound is early.
const leadMargin = time.Millisecond

// leadTrust is how many answers the least lead must have stood (since
// learning started or restarted) before it is used: enough that the
// fastest of them is within leadMargin of the path's fastest even when the
// way there's time is spread evenly over tens of ms.
const leadTrust = 128

// leadSpan is how long a bucket of leads gathers: the least lead is the
// least of the last two buckets, so a path that got slower is learnt
// within two spans, and each holds at least leadTrust answers. Short, as
// the least lead ages by maxDrift from when it was seen: 0.8 ms at most.
const leadSpan = 2 * time.Second

// leastLead is the least lead of recent answers, aged by maxDrift.
type leastLead struct {
	cur, prev leadBucket
	stood     int // answers since learning (re)started
}

// leads are the least leads of a span of answers, each the earliest
// server instant of some event minus the call's grant.
//
// A server stamps either the arrival of every call or the answer of every
// call: it times its handling from its stamp or to it. Which one is not
// said, so a later call is held to both: if the stamps mark arrivals, its
// count comes no earlier than its stamp, whose lead is at least stamp; if
// they mark answers, its count comes no earlier than its stamp less its
// duration, whose lead is at least count.
type leads struct {
	count int64 // of the earliest count an answer allows: stamp - duration - 1 ms
	stamp int64 // of the stamp itself
}

// bound is the server instant by which a later call granted at g is
// counted no sooner than g: one counted by latest (its stamp, or its stamp
// plus its duration, as the stamp marks its arrival or its answer) holds
// until then. Each end has its own bound, the later wins.
func (l leads) bound(stamp, latest int64) int64 {
	const ms = int64(time.Millisecond)
	// Stamps mark arrivals: this count came by latest, and a later call's
	// stamp, its earliest count, is at least l.stamp after its grant.
	// Stamps mark answers: this count came before its stamp's next ms, and
	// a later call's earliest count is at least l.count after its grant.
	return max(latest-l.stamp, stamp+ms-l.count)
}

// leadBucket is the least leads of one span of answers.
type leadBucket struct {
	count, stamp leastSeen
	since        time.Time // when the bucket opened
	n            int
}

// leastSeen is the least of one kind of lead in a bucket, and when it was seen.
type leastSeen struct {
	least int64
	at    time.Time
}

// value is the least lead aged to now.
func (s leastSeen) value(now time.Time) int64 { return s.least - age(s.at, now) }

func (s *leastSeen) add(lead int64, now time.Time, first bool) {
	if first || lead <= s.value(now) {
		s.least, s.at = lead, now
	}
}

// value is the bucket's least leads aged to now; ok is false when empty.
func (b *leadBucket) value(now time.Time) (leads, bool) {
	return leads{count: b.count.value(now), stamp: b.stamp.value(now)}, b.n > 0
}

func (b *leadBucket) add(count, stamp int64, now time.Time) {
	first := b.n == 0
	b.count.add(count, now, first)
	b.stamp.add(stamp, now, first)
	if first {
		b.since = now
	}
	b.n++
}

// value is the least leads of the last two buckets, aged to now.
func (l *leastLead) value(now time.Time) (leads, bool) {
	v, ok := l.cur.value(now)
	if p, pok := l.prev.value(now); pok {
		if !ok {
			return p, true
		}
		v = leads{count: min(v.count, p.count), stamp: min(v.stamp, p.stamp)}
	}
	return v, ok
}

// learn takes one answer's leads: of the earliest its count can have been
// (lead), of its stamp, and of the latest its count can have been; above
// is how far above the least a lead can be without a clock step (the round
// trip and the stamps' rounding). A call proves the path faster, or the
// server's clock stepped back, only when even its latest count came before
// the least allows: a long handling or the stamps' rounding lower the
// earliest alone. It returns the least leads and whether they have stood
// long enough.
func (l *leastLead) learn(lead, stamp, latest, above int64, now time.Time) (leads, bool) {
	if least, ok := l.value(now); ok && latest >= least.count-int64(leadMargin) && lead <= least.count+above {
		if l.cur.n >= leadTrust && now.Sub(l.cur.since) >= leadSpan {
			l.prev, l.cur = l.cur, leadBucket{}
		}
		l.cur.add(lead, stamp, now)
		l.stood++
	} else {
		*l = leastLead{stood: 1}
		l.cur.add(lead, stamp, now)
	}
	least, _ := l.value(now)
	return least, l.stood >= leadTrust
}

// stampKey and durationKey start the envelope's fields: the last of each
// (the docs' bodies put entities, which may carry their own, before them).
var (
	stampKey    = []byte(`"timestamp":`)
	durationKey = []byte(`"duration":`)
)

// stampOf reads the server's timestamp and duration of a JSON answer.
func stampOf(body []byte) (answerStamp, bool) {
	ms, ok := lastNumber(body, stampKey)
	if !ok || ms <= 0 {
		return answerStamp{}, false
	}
	dur, ok := lastNumber(body, durationKey)
	if !ok || dur < 0 {
		dur = -1
	}
	return answerStamp{ms: ms, durMs: dur}, true
}

// lastNumber returns the number (bare or quoted) after the last key of a
// JSON body.
func lastNumber(body, key []byte) (int64, bool) {
	i := bytes.LastIndex(body, key)
	if i < 0 {
		return 0, false
	}
	rest := bytes.TrimLeft(body[i+len(key):], " \t\r\n\"")
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	v, err := strconv.ParseInt(string(rest[:n]), 10, 64)
	return v, err == nil
}
