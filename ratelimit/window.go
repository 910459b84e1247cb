package ratelimit

import "time"

// window is an exact sliding-window log for one Limit. Entries are grants
// (time, cost) kept in grant order, each with the time by which the server
// has surely counted it (its end): the answer's arrival, or the grant plus
// the margin when the answer is never reported. An entry counts until one
// window after its end, and while its call is in flight it counts as if it
// ended now. Grants are made at the time they are checked, so the live
// entries at that moment are all a server window ending at any of the
// calls' arrivals can hold: keeping them within max keeps every such
// window within max.
type window struct {
	max    int64 // units per window
	length int64 // the window, in ns
	margin int64 // end of a grant whose answer is not reported, after the grant

	// Pacing (GCRA): units leave at most burst at a time, one per interval,
	// so the server never sees a whole window's quota arrive at once.
	interval int64 // length / max
	burst    int64
	slack    int64 // units a full window may let out at once, to catch up
	headroom int64 // units bulk calls leave free while interactive calls come
	tat      int64 // theoretical arrival time of the next unit

	times []int64 // in grant order: entries are [head:]
	ends  []int64 // inFlight until the answer is reported, gone once expired
	costs []int64
	head  int
	seq0  uint64 // sequence number of times[head]
	sum   int64  // cost of live entries (ended or in flight)
	last  int64  // time of the newest grant

	// Entries expire by their own end, not in grant order: one slow answer
	// must not hold up the expiry of every later call. ended is a min-heap
	// of the sequence numbers of ended, live entries, keyed by end; flight
	// is the cost of the entries in flight.
	ended  []uint64
	flight int64
	popped []uint64 // scratch for earliest
}

// inFlight is the end of an entry whose answer has not come yet; gone
// marks an expired entry still in the slices.
const (
	inFlight = -1
	gone     = -2
)

// pacedUpTo is the longest window that is paced; longer windows are immune
// to network jitter and keep their whole burst.
const pacedUpTo = 10 * time.Second

// minBurst is the smallest paced burst: a handful of calls do not bunch.
const minBurst = 10

// headroomShare sets a paced window's headroom: 1/headroomShare of its
// count, rounded down (none below 50). While interactive calls come, bulk
// calls leave that much free, so an interactive call does not wait for a
// slot at all; a small count would give up too large a share.
const headroomShare = 50

// catchUp is how much lateness a full paced window can make up at once.
// Near full, a window's slots free up as the entries' ends come, and the
// ends carry the jitter of each call's way to the server (milliseconds on
// a WAN, far more on its slow tail) besides a sleeper's late wake-up: with
// less slack, slots freed close together wait for the pacing and the
// window runs below its quota (1 s windows over a 100 ms round trip lost
// ~0.3% with 2 ms). It stays short of a burst: a few intervals at 100/s,
// and never fewer than minSlack units, so slower windows (at 50/s 30 ms is
// one interval) catch up as well.
const catchUp = 30 * time.Millisecond

// minSlack is the least slack of a full paced window, in units.
const minSlack = 3

// set gives the window the figures of lim. With pace > 0 a window of at
// most pacedUpTo lets out at once only what its quota allows in pace.
func (w *window) set(lim Limit, margin, pace time.Duration) {
	w.max, w.length, w.margin = int64(lim.Count), int64(lim.Window), int64(margin)
	w.interval = w.length / w.max
	w.slack = max(minSlack, int64(catchUp)/max(1, w.interval))
	w.burst = w.max
	w.headroom = 0
	if pace > 0 && lim.Window <= pacedUpTo {
		w.headroom = w.max / headroomShare
		w.burst = min(w.max, max(minBurst, w.max*int64(pace)/int64(lim.Window)))
	}
}

// expire drops the entries that can no longer share a server window with a
// call made at or after now: those that ended at least one window ago, in
// whatever order they were granted.
func (w *window) expire(now int64) {
	for len(w.ended) > 0 {
		i := w.index(w.ended[0])
		if w.ends[i]+w.length > now {
			break
		}
		w.sum -= w.costs[i]
		w.ends[i] = gone
		w.popEnded()
	}
	for w.head < len(w.times) && w.ends[w.head] == gone {
		w.head++
		w.seq0++
	}
	if w.head == len(w.times) {
		w.times, w.ends, w.costs, w.head = w.times[:0], w.ends[:0], w.costs[:0], 0
	}
}

// index is the slice index of entry seq.
func (w *window) index(seq uint64) int { return w.head + int(seq-w.seq0) }

// earliest returns the first time at or after now when cost more units
// fit, counting each call in flight as if its answer came now: a lower
// bound, which a caller waiting for it checks again when it comes. With
// paced false the pacing is skipped (the log still holds). The caller has
// checked cost <= max and called expire(now).
func (w *window) earliest(now, cost int64, paced bool) int64 {
	t := max(now, w.last)
	if paced && w.burst < w.max {
		// The burst is for a window with room to spare. Near full it would
		// only let out together the units whose entries expire together,
		// replaying one burst every window with a gap after it. A little
		// slack (minSlack units, or catchUp's worth) is kept so that a grant
		// made late (a wake-up is never punctual, a slot frees late when
		// its call took long to get there) does not push every later one
		// back.
		b := cost + w.slack
		if w.sum+cost <= w.max-w.burst {
			b = max(w.burst, cost)
		}
		t = max(t, w.tat-(b-cost)*w.interval)
	}
	excess := w.sum + cost - w.max
	if excess <= 0 {
		return t
	}
	// Free the units that expire first: ended entries by their end, and
	// the calls in flight as if answered now (a lower bound the waiter
	// checks again).
	flightEnd := now + int64(AnswerMargin)
	flight := w.flight
	w.popped = w.popped[:0]
	for excess > 0 {
		next := int64(-1)
		if len(w.ended) > 0 {
			next = w.ends[w.index(w.ended[0])]
		}
		if flight > 0 && (next < 0 || flightEnd <= next) {
			excess -= flight
			flight = 0
			t = max(t, flightEnd+w.length)
			continue
		}
		if next < 0 {
			break // cannot happen: sum counts only ended and in-flight units
		}
		seq := w.ended[0]
		w.popEnded()
		w.popped = append(w.popped, seq)
		excess -= w.costs[w.index(seq)]
		t = max(t, next+w.length)
	}
	for _, seq := range w.popped {
		w.pushEnded(seq)
	}
	return t
}

// forecast returns when cost units could go after ahead units queued
// before them, each leaving as early as the window lets it; expire(now)
// has been called.
func (w *window) forecast(now, ahead, cost int64) int64 {
	total := ahead + cost
	rounds := (total - 1) / w.max // whole windows the queue fills first
	t := w.earliest(now, total-rounds*w.max, true) + rounds*(w.length+w.margin)
	if w.burst < w.max && ahead > 0 {
		t = max(t, w.tat+(ahead-1)*w.interval)
	}
	return t
}

// add records a grant at t (>= every earlier one) whose server count ends
// at end (inFlight until reported), and returns its sequence number.
func (w *window) add(t, cost, end int64) uint64 {
	if w.head > 0 && w.head >= len(w.times)/2 && len(w.times) == cap(w.times) {
		// Compact instead of growing: keeps memory at the live size.
		n := copy(w.times, w.times[w.head:])
		copy(w.ends, w.ends[w.head:])
		copy(w.costs, w.costs[w.head:])
		w.times, w.ends, w.costs, w.head = w.times[:n], w.ends[:n], w.costs[:n], 0
	}
	w.times = append(w.times, t)
	w.ends = append(w.ends, end)
	w.costs = append(w.costs, cost)
	w.sum += cost
	w.last = t
	w.tat = max(w.tat, t) + cost*w.interval
	seq := w.seq0 + uint64(len(w.times)-w.head-1)
	if end == inFlight {
		w.flight += cost
	} else {
		w.pushEnded(seq)
	}
	return seq
}

// end records the end of entry seq, still in flight, at t.
func (w *window) end(seq uint64, t int64) {
	if seq < w.seq0 {
		return
	}
	if i := w.index(seq); i < len(w.ends) && w.ends[i] == inFlight {
		w.ends[i] = t
		w.flight -= w.costs[i]
		w.pushEnded(seq)
	}
}

// land ends every call still in flight at t plus the margin, for when the
// grants that would report them can no longer find their entries.
func (w *window) land(t int64) {
	for i := w.head; i < len(w.ends); i++ {
		if w.ends[i] == inFlight {
			w.ends[i] = t + w.margin
			w.pushEnded(w.seq0 + uint64(i-w.head))
		}
	}
	w.flight = 0
}

// idle reports whether nothing in the window can affect a call at now.
func (w *window) idle(now int64) bool {
	w.expire(now)
	return len(w.times) == 0
}

// sentBy returns the units of the entries at or before now: what has gone
// out, without grants recorded for later (a shared store's).
func (w *window) sentBy(now int64) int64 {
	n := w.sum
	for i := len(w.times) - 1; i >= w.head && w.times[i] > now; i-- {
		if w.ends[i] != gone {
			n -= w.costs[i]
		}
	}
	return n
}

// The ended heap, ordered by end.

func (w *window) endOf(k int) int64 { return w.ends[w.index(w.ended[k])] }

func (w *window) pushEnded(seq uint64) {
	w.ended = append(w.ended, seq)
	for k := len(w.ended) - 1; k > 0; {
		p := (k - 1) / 2
		if w.endOf(p) <= w.endOf(k) {
			break
		}
		w.ended[p], w.ended[k] = w.ended[k], w.ended[p]
		k = p
	}
}

func (w *window) popEnded() {
	last := len(w.ended) - 1
	w.ended[0] = w.ended[last]
	w.ended = w.ended[:last]
	for k := 0; ; {
		l, r, m := 2*k+1, 2*k+2, k
		if l < last && w.endOf(l) < w.endOf(m) {
			m = l
		}
		if r < last && w.endOf(r) < w.endOf(m) {
			m = r
		}
		if m == k {
			return
		}
		w.ended[m], w.ended[k] = w.ended[k], w.ended[m]
		k = m
	}
}
