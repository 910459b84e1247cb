package ratelimit

import "time"

// Grant is a call let through by Limiter.Acquire. Its entries count as in
// flight until Answered (or Unanswered) reports how the call ended.
type Grant struct {
	l      *Limiter
	sc     *scoped
	shared [maxSides]uint64
	per    [maxSides]uint64
	layout int
	at     int64         // when the call was granted, on the registry's clock
	req    *StoreRequest // the store's grant, settled with the local one
}

// Answered reports that the call's answer has come: the server has counted
// the call by now. Call it, or Unanswered, once, as soon as the answer is
// in; until then the call holds its quota. Both are no-ops on the zero
// Grant and on a grant already reported.
func (g *Grant) Answered() { g.report(true) }

// Unanswered reports that the call failed without an answer (a transport
// error, a cancelled context): it may still reach the server, so it counts
// until one window plus the margin after now, as a call from Wait does.
func (g *Grant) Unanswered() { g.report(false) }

// CountedBefore reports that the answer has come and that the server had
// counted the call d before it: a bound the caller learnt from the
// server's own clock (the SDK does; see internal/core/serverclock.go). The
// call then counts until one window after that instant, which on a long
// round trip is well before the answer. The instant is held to no earlier
// than the grant; d <= 0 is Answered.
func (g *Grant) CountedBefore(d time.Duration) {
	d = max(d, 0) - AnswerMargin
	g.CountedBeforeSplit(d, d)
}

// CountedBeforeSplit is CountedBefore with one bound for this process's
// log (local) and another for the Store's (shared), each taken as it is:
// no AnswerMargin is added, the caller's bounds carry their own. A bound
// that assumes something of this process's own path to the server (that
// its requests take no less time to get there than the fastest seen)
// holds for this process alone: other processes sharing the store may be
// nearer, so the store takes a bound that assumes nothing of the way
// there. Each instant is held to no earlier than the grant.
func (g *Grant) CountedBeforeSplit(local, shared time.Duration) {
	l := g.l
	if l == nil {
		return
	}
	now := l.reg.now()
	at := func(d time.Duration) int64 { return max(now-int64(d), g.at) }
	g.finish(at(local), at(shared))
}

// Granted is when the call was let through, on the registry's clock (the
// zero Time for the zero Grant).
func (g *Grant) Granted() time.Time {
	if g.l == nil {
		return time.Time{}
	}
	return g.l.reg.epoch.Add(time.Duration(g.at))
}

// report ends the grant's entries: after an answer at now plus
// AnswerMargin, otherwise at now plus the margin.
func (g *Grant) report(answered bool) {
	l := g.l
	if l == nil {
		return
	}
	after := l.reg.margin
	if answered {
		after = AnswerMargin
	}
	end := l.reg.now() + int64(after)
	g.finish(end, end)
}

// finish ends the grant's entries at end, and the store's at shared.
func (g *Grant) finish(end, shared int64) {
	l := g.l
	g.l = nil
	if g.req != nil {
		l.reg.store.Settle(g.req, l.reg.epoch.Add(time.Duration(shared)))
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if g.layout != l.layout {
		return // an override moved the windows and ended the flights
	}
	for i := range l.shared {
		l.shared[i].end(g.shared[i], end)
	}
	if g.sc != nil {
		for j := range g.sc.windows {
			g.sc.windows[j].end(g.per[j], end)
		}
	}
}
