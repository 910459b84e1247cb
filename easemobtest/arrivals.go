package easemobtest

import (
	"slices"
	"sync"
	"time"
)

// arrivals counts requests that cross the emulated network in the order,
// and at the instants, their way there puts them: a request received at t
// with a delay d arrives at t+d, whenever the goroutine carrying it wakes
// up. Counting at the wake-up instead would add the timer's lateness (up
// to a ms or two under load, at random) to every way there: jitter that
// the path was not given, and a count out of order with its neighbours.
//
// Each request takes a ticket when it is received; its quota check waits
// until every ticket of an earlier arrival has been checked or dropped. A
// request received later cannot arrive earlier than one already checked:
// that one's instant had passed when it was checked, and delays are not
// negative. A request that comes to its check more than holdUp after its
// arrival (a body slow to upload) stops holding up the later ones; it is
// then counted at the latest instant counted, later than its arrival.
type arrivals struct {
	mu      sync.Mutex
	turn    sync.Cond // broadcast when the head leaves or goes stale
	pending []*ticket // by arrival, then by taking
	latest  time.Time // the latest instant counted
}

// holdUp is how long after its arrival a request may hold up the checks
// of later ones.
const holdUp = time.Second

// ticket is one request's place in the arrival order.
type ticket struct {
	line *arrivals
	at   time.Time
	done bool
}

// take queues a request arriving at at.
func (l *arrivals) take(at time.Time) *ticket {
	t := &ticket{line: l, at: at}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.turn.L == nil {
		l.turn.L = &l.mu
	}
	i, _ := slices.BinarySearchFunc(l.pending, at, func(p *ticket, at time.Time) int {
		if p.at.After(at) {
			return 1
		}
		return -1 // equal instants keep the order they were taken in
	})
	l.pending = slices.Insert(l.pending, i, t)
	return t
}

// count runs fn, the request's quota check, at its arrival once every
// earlier arrival's has run, been dropped or gone stale, and returns the
// instant fn was given: the arrival, or the latest instant counted if that
// is later. The request's instant must have passed: from then on no
// ticket can be taken ahead of it.
func (t *ticket) count(fn func(at time.Time)) time.Time {
	l := t.line
	l.mu.Lock()
	for {
		i := slices.Index(l.pending, t)
		ahead := l.pending[:i]
		j := slices.IndexFunc(ahead, func(p *ticket) bool { return time.Since(p.at) < holdUp })
		if j < 0 {
			break
		}
		stale := time.AfterFunc(holdUp-time.Since(ahead[j].at), l.broadcast)
		l.turn.Wait()
		stale.Stop()
	}
	at := t.at
	if at.Before(l.latest) {
		at = l.latest
	}
	l.latest = at
	l.mu.Unlock()
	fn(at)
	t.drop()
	return at
}

func (l *arrivals) broadcast() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.turn.Broadcast()
}

// drop takes t out of the line (a request answered before its quota
// check, or a client that gave up); it is a no-op once done or on nil.
func (t *ticket) drop() {
	if t == nil {
		return
	}
	l := t.line
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	i := slices.Index(l.pending, t)
	l.pending = slices.Delete(l.pending, i, i+1)
	l.turn.Broadcast()
}
