package ratelimit

// Adaptation to the server: when the server refuses a group's call for rate
// (429 reach_limit, or 403 for the message quota) although the limiter let
// it through, the plan's real quota may be lower than the limiter believes.
// The App Key sides of the group are then cut multiplicatively, at most once
// per period (calls in flight at the cut report the same excess), and
// raised again additively for every period without a refusal; the period
// from a refusal on is not one. The cut is mild because a refusal may also
// be one call's jitter; a real shortfall repeats and compounds (0.9^7
// halves the rate in seven periods). Per-user sides are not cut: a refusal
// does not say which user was over.
const (
	adaptCut   = 0.9
	adaptRaise = 0.05
	adaptFloor = 0.05
)

type adaptive struct {
	adapt     float64 // multiplier on every count, in [adaptFloor, 1]
	lastCut   int64
	lastRaise int64
	throttles int64
	accepted  []int // units in each App Key window when the last refusal came
}

// period is the shortest window of the group: the time a change of rate
// takes to show.
func (l *Limiter) period() int64 {
	p := int64(0)
	for _, lim := range l.base {
		if p == 0 || int64(lim.Window) < p {
			p = int64(lim.Window)
		}
	}
	return p
}

// Throttled reports that the server refused a call of this group for rate.
// The SDK calls it; call it yourself only for calls made around the SDK.
func (l *Limiter) Throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.reg.now()
	l.throttles++
	if l.reg.fixed {
		return
	}
	l.recover(now) // quiet periods before this refusal still count
	// The period from a refusal on is not quiet: raising at its end, just
	// before the next burst of refusals, would undo each cut.
	l.lastRaise = now + l.period()
	if now-l.lastCut < l.period() {
		return
	}
	l.accepted = l.accepted[:0]
	for i := range l.shared {
		l.accepted = append(l.accepted, int(l.shared[i].sentBy(now)))
	}
	old := l.adapt
	l.adapt = max(adaptFloor, l.adapt*adaptCut)
	l.lastCut = now
	l.configure(l.base)
	l.shareThrottle(l.adapt, l.period())
	l.reg.logger.Warn("easemob: server refused for rate; slowing the group down",
		"group", l.group, "documented", l.base, "accepted_in_window", l.accepted,
		"rate_factor_was", old, "rate_factor", l.adapt)
}

// recover raises the rate back for every quiet period; l.mu is held.
func (l *Limiter) recover(now int64) {
	if l.adapt >= 1 {
		return
	}
	p := l.period()
	steps := (now - l.lastRaise) / p
	if steps <= 0 {
		return
	}
	l.adapt = min(1, l.adapt+adaptRaise*float64(steps))
	l.lastRaise += steps * p
	l.configure(l.base)
	if l.adapt == 1 {
		l.reg.logger.Info("easemob: group back at its full rate", "group", l.group)
	}
}

// Status is what a limiter knows of its group.
type Status struct {
	Group string
	// Configured are the limits after overrides, before the safety factor
	// and adaptation: the documented quota unless overridden.
	Configured []Limit
	// Effective are the limits in force now.
	Effective []Limit
	// RateFactor is the adaptation to the server's refusals (1: none).
	RateFactor float64
	// Throttles counts the server's rate refusals reported by Throttled.
	Throttles int64
	// AcceptedAtLastThrottle holds, per App Key limit in order, the units
	// granted in its window when the last cut happened: what the server
	// really accepted, to set against Configured.
	AcceptedAtLastThrottle []int
	// Grants counts calls let through.
	Grants int64
}

// Status reports the group's limits, adaptation and counters.
func (l *Limiter) Status() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recover(l.reg.now())
	return Status{
		Group:                  l.group,
		Configured:             append([]Limit(nil), l.base...),
		Effective:              append([]Limit(nil), l.limits...),
		RateFactor:             l.adapt,
		Throttles:              l.throttles,
		AcceptedAtLastThrottle: append([]int(nil), l.accepted...),
		Grants:                 l.grants,
	}
}

// RateFactor returns Status().RateFactor without copying the limits: the
// adaptation to the server's refusals now (1: none).
func (l *Limiter) RateFactor() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recover(l.reg.now())
	return l.adapt
}
