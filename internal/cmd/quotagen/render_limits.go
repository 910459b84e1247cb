package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/emquota/easemob/ratelimit"
)

// renderLimits writes limits_gen.go: the exported group names, each with a
// comment giving its limits and what draws on it. An op an SDK method
// implements is named by that method, so the docs point at real code.
func renderLimits(m *model) []byte {
	users := map[string][]string{} // group -> "Client.X.Y (op, row name)"
	for _, o := range m.ops {
		name := o.ep.Title
		if o.Seed != nil {
			name = o.Seed.Name // the documented row's own wording
		}
		// NUL keeps "op (row name)" on one line when wrapping; so for limits.
		item := fmt.Sprintf("%s\x00(%s)", o.Op, name)
		if o.SDK != "" {
			item = fmt.Sprintf("Client.%s\x00(%s,\x00%s)", o.SDK, o.Op, name)
		}
		users[o.Group] = append(users[o.Group], strings.ReplaceAll(item, " ", "\x00"))
	}

	pools := poolSentences(m.profiles)
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("%spackage easemob\n\n", header)
	p("// Quota group names, as carried by ratelimit.Quota.Group in DefaultQuotas.\n")
	p("// Each comment gives the documented default limits and the operations that\n// draw on the group.\nconst (\n")
	for i, g := range m.groups {
		if i > 0 {
			p("\n")
		}
		limits := make([]string, len(g.Limits))
		for j, l := range g.Limits {
			s := ratelimit.Limit{Count: l.Count, Window: l.window, Per: l.Per, Unit: libUnit(l.Unit)}.String()
			limits[j] = strings.ReplaceAll(s, " ", "\x00")
		}
		text := fmt.Sprintf("Group%s allows %s. Used by %s.%s", camel(g.Name), joinAnd(limits), joinAnd(users[g.Name]), pools[g.Name])
		for _, line := range wrap(text, 76) {
			p("\t// %s\n", strings.ReplaceAll(line, "\x00", " "))
		}
		p("\tGroup%s = %q\n", camel(g.Name), g.Name)
	}
	p(")\n")
	return b.Bytes()
}

func libUnit(u string) ratelimit.Unit {
	if u == "messages" {
		return ratelimit.Messages
	}
	return ratelimit.Calls
}
