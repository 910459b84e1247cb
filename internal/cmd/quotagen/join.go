package main

import (
	"fmt"
	"slices"
	"strings"
)

// opModel is one operation whole: its quota row and its facts.
type opModel struct {
	*op           // data/quotas.json: group, sdk, message units, seed or source
	ep  *endpoint // data/endpoints.json: everything else
}

// model is what the generated files are written from.
type model struct {
	groups   []group
	ops      []opModel // in the order of quotas.json (the seed table's)
	profiles []profile
}

// join pairs every quotas.json op with its endpoints.json entry and checks
// the rules that span both files, returning every violation. qName and
// eName name the files in messages.
func join(q *quotaFile, e *endpointsFile, qName, eName string) (*model, []error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	eps := map[string]*endpoint{}
	for i := range e.Operations {
		eps[e.Operations[i].Op] = &e.Operations[i]
	}
	m := &model{groups: q.Groups, profiles: q.Profiles}
	groupIdx := map[string]int{}
	for i, g := range q.Groups {
		groupIdx[g.Name] = i
	}
	inQuotas := map[string]bool{}
	for i := range q.Ops {
		o := &q.Ops[i]
		inQuotas[o.Op] = true
		ep, ok := eps[o.Op]
		if !ok {
			bad("op %q: in %s but not in %s", o.Op, qName, eName)
			continue
		}
		if o.Method != ep.Method {
			bad("op %q: method %s in %s but %s in %s", o.Op, o.Method, qName, ep.Method, eName)
		}
		if o.Path != ep.Path {
			bad("op %q: path %s in %s but %s in %s", o.Op, o.Path, qName, ep.Path, eName)
		}
		om := opModel{op: o, ep: ep}
		if gi, ok := groupIdx[o.Group]; ok {
			errs = append(errs, om.checkMessageUnits(&q.Groups[gi])...)
		}
		m.ops = append(m.ops, om)
	}
	for _, ep := range e.Operations {
		if !inQuotas[ep.Op] {
			bad("op %q: in %s but not in %s", ep.Op, eName, qName)
		}
	}
	return m, errs
}

// checkMessageUnits enforces where message_units goes: on exactly the ops
// whose group counts messages and that have a body count cap, naming one
// of those caps. Other ops of a messages group cost one message a call.
func (om opModel) checkMessageUnits(g *group) []error {
	var counts []string // the op's body count caps
	for _, c := range om.ep.Caps {
		if c.In == "body" && c.Kind == "count" {
			counts = append(counts, c.Name)
		}
	}
	where := fmt.Sprintf("op %q", om.Op)
	switch mu := om.MessageUnits; {
	case mu != "" && !g.countsMessages():
		return []error{fmt.Errorf("%s: message_units %q, but group %q counts no messages", where, mu, g.Name)}
	case mu != "" && !slices.Contains(counts, mu):
		return []error{fmt.Errorf("%s: message_units %q is not a body count cap of the op (it has %s)", where, mu, orNone(counts))}
	case mu == "" && g.countsMessages() && len(counts) > 0:
		return []error{fmt.Errorf("%s: group %q counts messages and the op has body count caps (%s): set message_units to the one whose count is the call's message cost", where, g.Name, strings.Join(counts, ", "))}
	}
	return nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
