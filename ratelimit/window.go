package ratelimit

import "time"

// window is an exact sliding-window log for one Limit. Entries are
// reservations (time, cost) kept in time order: a new reservation is never
// placed before the newest one, so checking the single window that ends at
// the new entry's time is enough to keep every window of length span at or
// under max.
type window struct {
	max  int64 // units per span
	span int64 // window length plus margin, in ns

	// Pacing (GCRA): units leave at most burst at a time, one per interval,
	// so the server never sees a whole window's quota arrive at once, where
	// queueing would bunch it with the next window's.
	interval int64 // span / max
	burst    int64
	tat      int64 // theoretical arrival time of the next unit

	times []int64 // ring buffer in slice form: live entries are [head:]
	costs []int64
	head  int
	seq0  uint64 // sequence number of times[head]
	sum   int64  // cost of live entries
	last  int64  // time of the newest entry
}

// pacedUpTo is the longest window that is paced; longer windows are immune
// to network jitter and keep their whole burst.
const pacedUpTo = 10 * time.Second

// minBurst is the smallest paced burst: a handful of calls do not bunch.
const minBurst = 10

// set gives the window the figures of lim. With pace > 0 a window of at
// most pacedUpTo lets out at once only what its quota allows in pace.
func (w *window) set(lim Limit, margin, pace time.Duration) {
	w.max, w.span = int64(lim.Count), int64(lim.Window+margin)
	w.interval = w.span / w.max
	w.burst = w.max
	if pace > 0 && lim.Window <= pacedUpTo {
		w.burst = min(w.max, max(minBurst, w.max*int64(pace)/int64(lim.Window)))
	}
}

// expire drops the entries that can no longer share a window with any time
// at or after now.
func (w *window) expire(now int64) {
	cut := now - w.span
	for w.head < len(w.times) && w.times[w.head] <= cut {
		w.sum -= w.costs[w.head]
		w.head++
		w.seq0++
	}
	if w.head == len(w.times) {
		w.times, w.costs, w.head = w.times[:0], w.costs[:0], 0
	}
}

// earliest returns the first time at or after now when cost more units fit.
// The caller has checked cost <= max and called expire(now).
func (w *window) earliest(now, cost int64) int64 {
	t := max(now, w.last)
	if w.burst < w.max {
		// The burst is for a window with room to spare. Near full it would
		// only let out together the units whose entries expire together,
		// replaying one burst every window with a gap after it.
		b := cost
		if w.sum+cost <= w.max-w.burst {
			b = max(w.burst, cost)
		}
		t = max(t, w.tat-(b-cost)*w.interval)
	}
	excess := w.sum + cost - w.max
	for i := w.head; excess > 0; i++ {
		excess -= w.costs[i]
		t = max(t, w.times[i]+w.span)
	}
	return t
}

// add records a reservation at t (>= every earlier one) and returns its
// sequence number for a later cancel.
func (w *window) add(t, cost int64) uint64 {
	if w.head > 0 && w.head >= len(w.times)/2 && len(w.times) == cap(w.times) {
		// Compact instead of growing: keeps memory at the live size.
		n := copy(w.times, w.times[w.head:])
		copy(w.costs, w.costs[w.head:])
		w.times, w.costs, w.head = w.times[:n], w.costs[:n], 0
	}
	w.times = append(w.times, t)
	w.costs = append(w.costs, cost)
	w.sum += cost
	w.last = t
	w.tat = max(w.tat, t) + cost*w.interval
	return w.seq0 + uint64(len(w.times)-w.head-1)
}

// cancel gives back a reservation that was not used. Its time slot stays so
// that the order of later reservations is untouched; only its cost goes.
func (w *window) cancel(seq uint64) {
	if seq < w.seq0 {
		return // already expired
	}
	i := w.head + int(seq-w.seq0)
	if i < len(w.costs) {
		w.sum -= w.costs[i]
		w.costs[i] = 0
	}
}

// idle reports whether nothing in the window can affect a call at now.
func (w *window) idle(now int64) bool { return w.last <= now-w.span }

// sentBy returns the units of the entries at or before now: what has gone
// out, without the reservations still ahead.
func (w *window) sentBy(now int64) int64 {
	n := w.sum
	for i := len(w.times) - 1; i >= w.head && w.times[i] > now; i-- {
		n -= w.costs[i]
	}
	return n
}
