package ratelimit

import "sync"

// units is what a call weighs on each kind of side.
type units struct{ calls, msgs int64 }

// units is what c weighs: one call, and its messages (at least one).
func (c Cost) units() units { return units{calls: 1, msgs: int64(max(1, c.Messages))} }

func (u units) of(kind Unit) int64 {
	if kind == Messages {
		return u.msgs
	}
	return u.calls
}

// waiter is one call queued for quota. Its signal channel says "look
// again": the waiter then checks, under the limiter's lock, whether it is
// the sleeper.
type waiter struct {
	lane   Priority
	units  units
	signal chan struct{}
	prev   *waiter
	next   *waiter
	awake  bool // poked since it last looked (tests read it to see a quiet queue)
}

// waitQueue holds the calls waiting for a group's App Key sides: first come
// first served within a lane, the interactive lane ahead of the bulk lane.
// Only one waiter, the sleeper, watches the clock; it takes the next slot
// when the slot comes, so nothing is booked ahead and an entry is made at
// the moment a call really leaves. All fields are guarded by Limiter.mu.
type waitQueue struct {
	first, last [2]*waiter // per lane
	sleeper     *waiter
	queued      [2]units // per lane, for forecasts
}

var waiterPool = sync.Pool{New: func() any { return &waiter{signal: make(chan struct{}, 1)} }}

// newWaiter takes a waiter from the pool; a signal left from its last use
// is drained so it cannot fake a wake-up.
func newWaiter(lane Priority, u units) *waiter {
	w := waiterPool.Get().(*waiter)
	select {
	case <-w.signal:
	default:
	}
	w.lane, w.units, w.prev, w.next, w.awake = lane, u, nil, nil, false
	return w
}

// ahead is what a call in lane p would queue behind.
func (q *waitQueue) ahead(p Priority) units {
	u := q.queued[Interactive]
	if p == Bulk {
		u.calls += q.queued[Bulk].calls
		u.msgs += q.queued[Bulk].msgs
	}
	return u
}

// hasAhead reports whether a new call in lane p would have to queue behind
// a waiter: interactive calls pass bulk waiters.
func (q *waitQueue) hasAhead(p Priority) bool {
	return q.first[Interactive] != nil || (p == Bulk && q.first[Bulk] != nil)
}

// push queues w and makes it the sleeper if it now heads the queue: an
// interactive call arriving while a bulk call sleeps takes its place.
func (q *waitQueue) push(w *waiter) {
	w.prev = q.last[w.lane]
	if w.prev == nil {
		q.first[w.lane] = w
	} else {
		w.prev.next = w
	}
	q.last[w.lane] = w
	q.queued[w.lane].calls += w.units.calls
	q.queued[w.lane].msgs += w.units.msgs
	q.elect()
}

// remove takes w out of the queue (granted or given up) and hands the
// sleeper's role on; a caller giving up from deep in a long queue leaves in
// constant time.
func (q *waitQueue) remove(w *waiter) {
	if w.prev == nil {
		q.first[w.lane] = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		q.last[w.lane] = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
	q.queued[w.lane].calls -= w.units.calls
	q.queued[w.lane].msgs -= w.units.msgs
	if q.sleeper == w {
		q.sleeper = nil
	}
	q.elect()
}

// elect makes the head of the queue the sleeper, telling both the new
// sleeper and any one it displaced.
func (q *waitQueue) elect() {
	head := q.first[Interactive]
	if head == nil {
		head = q.first[Bulk]
	}
	if head == q.sleeper {
		return
	}
	if q.sleeper != nil {
		q.sleeper.poke()
	}
	q.sleeper = head
	if head != nil {
		head.poke()
	}
}

// poke wakes the sleeper to look at the limits again, after they changed.
func (q *waitQueue) poke() {
	if q.sleeper != nil {
		q.sleeper.poke()
	}
}

func (w *waiter) poke() {
	w.awake = true
	select {
	case w.signal <- struct{}{}:
	default: // a signal is already pending; one look covers both
	}
}
