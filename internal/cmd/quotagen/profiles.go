package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/emquota/easemob/ratelimit"
)

// profile is a quota table of another docs version: the default groups,
// some of them pooled into shared budgets.
type profile struct {
	Name  string `json:"name"`
	About string `json:"about"`
	Pools []pool `json:"pools"`
}

// pool is a budget several groups share in a profile.
type pool struct {
	Name   string   `json:"name"`
	Limits []limit  `json:"limits"`
	Groups []string `json:"groups"`
	Note   string   `json:"note"`
}

var profileNameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// validateProfiles checks the profiles against the groups (groupIdx maps
// a group name to its index): names, pools of at least two existing
// groups, each group in one pool at most, limits valid and none per path
// value (a pool's groups need not share a path parameter).
func (f *quotaFile) validateProfiles(groupIdx map[string]int, bad func(string, ...any)) {
	names := map[string]bool{}
	for i := range f.Profiles {
		pr := &f.Profiles[i]
		where := fmt.Sprintf("profile %q", pr.Name)
		if !profileNameRE.MatchString(pr.Name) {
			bad("%s: name must be lowercase words joined by _", where)
		}
		if names[pr.Name] {
			bad("%s: defined twice", where)
		}
		names[pr.Name] = true
		if pr.About == "" || len(pr.Pools) == 0 {
			bad("%s: needs about and pools", where)
		}
		pooled := map[string]string{} // group -> its pool
		for j := range pr.Pools {
			pl := &pr.Pools[j]
			pw := fmt.Sprintf("%s pool %q", where, pl.Name)
			if _, clash := groupIdx[pl.Name]; clash || !groupNameRE.MatchString(pl.Name) {
				bad("%s: name must be lowercase and dotted, and not a group's", pw)
			}
			if pl.Note == "" || len(pl.Limits) == 0 || len(pl.Groups) < 2 {
				bad("%s: needs a note, limits and at least two groups", pw)
			}
			for k := range pl.Limits {
				lw := fmt.Sprintf("%s limit %d", pw, k)
				pl.Limits[k].check(lw, bad)
				if pl.Limits[k].Per != "" {
					bad("%s: a pool's limits are per App Key", lw)
				}
			}
			for _, g := range pl.Groups {
				if _, ok := groupIdx[g]; !ok {
					bad("%s: group %q is not defined", pw, g)
				}
				if other, dup := pooled[g]; dup {
					bad("%s: group %q is in pool %q already", pw, g, other)
				}
				pooled[g] = pl.Name
			}
		}
	}
}

// renderProfiles writes the Profiles table of catalog_gen.go.
func renderProfiles(b *bytes.Buffer, profiles []profile) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("// Profiles holds the quota tables of other docs versions; a group no\n// pool names keeps its default quota.\n")
	p("var Profiles = []Profile{\n")
	for _, pr := range profiles {
		p("\t{\n\t\tName: %q,\n\t\tAbout: %s,\n\t\tPools: []Pool{\n", pr.Name, goString(pr.About))
		for _, pl := range pr.Pools {
			groups := make([]string, len(pl.Groups))
			for i, g := range pl.Groups {
				groups[i] = "Group" + camel(g)
			}
			p("\t\t\t{Name: %q, Limits: %s, Groups: []GroupID{%s}},\n", pl.Name, limitsLit(pl.Limits), strings.Join(groups, ", "))
		}
		p("\t\t},\n\t},\n")
	}
	p("}\n")
}

func limitsLit(limits []limit) string {
	out := make([]string, len(limits))
	for i, l := range limits {
		out[i] = fmt.Sprintf("{Count: %d, Window: %s, Unit: ratelimit.%s}", l.Count, goDuration(l.window), goUnit(l.Unit))
	}
	return "[]ratelimit.Limit{" + strings.Join(out, ", ") + "}"
}

// poolSentences says, for each pooled group, which profile pools it where.
func poolSentences(profiles []profile) map[string]string {
	out := map[string]string{}
	for _, pr := range profiles {
		for _, pl := range pr.Pools {
			limits := make([]string, len(pl.Limits))
			for i, l := range pl.Limits {
				limits[i] = ratelimit.Limit{Count: l.Count, Window: l.window, Unit: libUnit(l.Unit)}.String()
			}
			s := fmt.Sprintf(" The %s profile pools it into %s (%s) with %d other groups.",
				camel(pr.Name), pl.Name, joinAnd(limits), len(pl.Groups)-1)
			for _, g := range pl.Groups {
				out[g] += s
			}
		}
	}
	return out
}
