package ratelimit

import "time"

// window is an exact sliding-window log for one Limit. Entries are grants
// (time, cost) kept in time order: a new grant is never placed before the
// newest one, so checking the single window that ends at the new entry's
// time is enough to keep every window of length span at or under max.
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
	sum   int64 // cost of live entries
	last  int64 // time of the newest entry
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
		// replaying one burst every window with a gap after it; one unit of
		// slack is kept so that a grant made late (a wake-up is never
		// punctual) does not push every later one back.
		b := cost + 1
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

// forecast returns when cost units could go after ahead units queued
// before them, each leaving as early as the window lets it; expire(now)
// has been called.
func (w *window) forecast(now, ahead, cost int64) int64 {
	total := ahead + cost
	rounds := (total - 1) / w.max // whole windows the queue fills first
	t := w.earliest(now, total-rounds*w.max) + rounds*w.span
	if w.burst < w.max && ahead > 0 {
		t = max(t, w.tat+(ahead-1)*w.interval)
	}
	return t
}

// add records a grant at t (>= every earlier one).
func (w *window) add(t, cost int64) {
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
}

// idle reports whether nothing in the window can affect a call at now.
func (w *window) idle(now int64) bool { return w.last <= now-w.span }

// sentBy returns the units of the entries at or before now: what has gone
// out, without grants recorded for later (a shared store's).
func (w *window) sentBy(now int64) int64 {
	n := w.sum
	for i := len(w.times) - 1; i >= w.head && w.times[i] > now; i-- {
		n -= w.costs[i]
	}
	return n
}
