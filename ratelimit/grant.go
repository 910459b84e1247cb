package ratelimit

// Grant is a call let through by Limiter.Acquire. Its entries count as in
// flight until Answered (or Unanswered) reports how the call ended.
type Grant struct {
	l      *Limiter
	sc     *scoped
	shared [maxSides]uint64
	per    [maxSides]uint64
	layout int
}

// Answered reports that the call's answer has come: the server has counted
// the call by now. Call it, or Unanswered, once, as soon as the answer is
// in; until then the call holds its quota. Both are no-ops on the zero
// Grant and on a grant already reported.
func (g *Grant) Answered() { g.report(int64(answerMargin)) }

// Unanswered reports that the call failed without an answer (a transport
// error, a cancelled context): it may still reach the server, so it counts
// until one window plus the margin after now, as a call from Wait does.
func (g *Grant) Unanswered() { g.report(-1) }

// report ends the grant's entries at now plus after, or plus the margin
// when after is negative.
func (g *Grant) report(after int64) {
	l := g.l
	if l == nil {
		return
	}
	g.l = nil
	l.mu.Lock()
	defer l.mu.Unlock()
	if g.layout != l.layout {
		return // an override moved the windows and ended the flights
	}
	if after < 0 {
		after = int64(l.reg.margin)
	}
	end := l.reg.now() + after
	for i := range l.shared {
		l.shared[i].end(g.shared[i], end)
	}
	if g.sc != nil {
		for j := range g.sc.windows {
			g.sc.windows[j].end(g.per[j], end)
		}
	}
}
