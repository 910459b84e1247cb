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
	l := g.l
	if l == nil {
		return
	}
	g.finish(max(l.reg.now()-int64(max(d, 0)), g.at) + int64(AnswerMargin))
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
	g.finish(l.reg.now() + int64(after))
}

// finish ends the grant's entries at end, in the store too.
func (g *Grant) finish(end int64) {
	l := g.l
	g.l = nil
	if g.req != nil {
		l.reg.store.Settle(g.req, l.reg.epoch.Add(time.Duration(end)))
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
