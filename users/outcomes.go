package users

import "github.com/emquota/easemob/internal/core"

// outcomes lists the outcome of each name from by, keyed by folded name;
// a name by lacks is one the server's answer left out.
func outcomes[Out any](names []string, by map[string]core.Outcome[Out]) []core.Outcome[Out] {
	out := make([]core.Outcome[Out], len(names))
	for i, n := range names {
		o, ok := by[core.FoldKey(n)]
		if !ok {
			o = core.Refused[Out](core.Omitted)
		}
		out[i] = o
	}
	return out
}

// byUsername matches the answered values to names: done when the answer
// has the user, omitted when not.
func byUsername[Out any](names []string, answered []Out, key func(Out) string) []core.Outcome[Out] {
	by := make(map[string]core.Outcome[Out], len(answered))
	for _, v := range answered {
		by[core.FoldKey(key(v))] = core.Accepted(v)
	}
	return outcomes(names, by)
}
