package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// quotaFile mirrors data/quotas.json; its "about" field documents the schema.
type quotaFile struct {
	About  []string `json:"about"`
	Groups []group  `json:"groups"`
	Ops    []op     `json:"ops"`
}

type group struct {
	Name   string  `json:"name"`
	Limits []limit `json:"limits"`
	Note   string  `json:"note"`
}

type limit struct {
	Count  int    `json:"count"`
	Window string `json:"window"`
	Per    string `json:"per"`
	Unit   string `json:"unit"`

	window time.Duration // parsed Window, set by validate
}

type op struct {
	Op        string   `json:"op"`
	Title     string   `json:"title"`
	Method    string   `json:"method"`
	Path      string   `json:"path"`
	Group     string   `json:"group"`
	Caps      []capDef `json:"caps"`
	Seed      *seedRow `json:"seed"`
	Fix       string   `json:"fix"`
	VariantOf string   `json:"variant_of"`
	Source    string   `json:"source"`
}

type capDef struct {
	In   string `json:"in"`
	Name string `json:"name"`
	Max  int    `json:"max"`
}

// seedRow is one row of the documented table, transcribed as written.
type seedRow struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Quota  string `json:"quota"`
}

var (
	groupNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	opIDRE      = regexp.MustCompile(`^[a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*$`)
	pathParamRE = regexp.MustCompile(`\{([^{}]*)\}`)
	// reserved are the hand-written names of package catalog and the
	// generated table names an op or group identifier must not take.
	reserved = map[string]bool{
		"Op": true, "Cap": true, "CapIn": true, "GroupID": true, "InBody": true,
		"InPath": true, "InQuery": true, "Groups": true, "Ops": true,
		"NumGroups": true, "GroupByName": true,
	}
)

// parse decodes and validates the data file.
func parse(data []byte) (*quotaFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key would silently drop data
	var f quotaFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// validate checks every rule the generated code relies on and reports all
// violations at once.
func (f *quotaFile) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if len(f.Groups) == 0 || len(f.Ops) == 0 {
		bad("no groups or no ops")
	}
	idents := map[string]string{} // generated identifier -> what owns it
	claim := func(ident, owner string) {
		if reserved[ident] {
			bad("%s: identifier %s is reserved", owner, ident)
		} else if prev, ok := idents[ident]; ok {
			bad("%s: identifier %s already used by %s", owner, ident, prev)
		} else {
			idents[ident] = owner
		}
	}

	groupIdx := map[string]int{}
	for i := range f.Groups {
		g := &f.Groups[i]
		where := fmt.Sprintf("group %q", g.Name)
		if !groupNameRE.MatchString(g.Name) {
			bad("%s: name must be lowercase and dotted", where)
		}
		if _, dup := groupIdx[g.Name]; dup {
			bad("%s: defined twice", where)
			continue
		}
		groupIdx[g.Name] = i
		claim("Group"+camel(g.Name), where)
		if g.Note == "" {
			bad("%s: note is empty", where)
		}
		if len(g.Limits) == 0 {
			bad("%s: no limits", where)
		}
		for j := range g.Limits {
			l := &g.Limits[j]
			lw := fmt.Sprintf("%s limit %d", where, j)
			if l.Count <= 0 {
				bad("%s: count must be positive, got %d", lw, l.Count)
			}
			d, err := time.ParseDuration(l.Window)
			switch {
			case err != nil:
				bad("%s: window: %v", lw, err)
			case d <= 0:
				bad("%s: window must be positive, got %q", lw, l.Window)
			}
			l.window = d
			if l.Unit != "calls" && l.Unit != "messages" {
				bad("%s: unit must be calls or messages, got %q", lw, l.Unit)
			}
		}
	}

	opIdx := map[string]int{}
	byRoute := map[string]int{} // normalized "METHOD path" -> first op index
	used := make([]bool, len(f.Groups))
	next := 0 // groups must appear in the order ops first use them
	for i := range f.Ops {
		o := &f.Ops[i]
		where := fmt.Sprintf("op %q", o.Op)
		if !opIDRE.MatchString(o.Op) {
			bad("%s: id must look like area.Name", where)
		}
		if _, dup := opIdx[o.Op]; dup {
			bad("%s: defined twice", where)
			continue
		}
		opIdx[o.Op] = i
		claim(camel(o.Op), where)
		if o.Title == "" {
			bad("%s: title is empty", where)
		}
		switch o.Method {
		case "GET", "POST", "PUT", "DELETE":
		default:
			bad("%s: method %q is not GET, POST, PUT or DELETE", where, o.Method)
		}
		if !strings.HasPrefix(o.Path, "/") || strings.ContainsAny(o.Path, "?`$ ") {
			bad("%s: path %q must start with / and hold no query or stray characters", where, o.Path)
		}
		gi, ok := groupIdx[o.Group]
		if !ok {
			bad("%s: group %q is not defined", where, o.Group)
		} else {
			if !used[gi] {
				if gi != next {
					bad("%s: group %q is listed at position %d but first used at position %d; list groups in table order", where, o.Group, gi, next)
				}
				used[gi] = true
				next++
			}
			for _, l := range f.Groups[gi].Limits {
				if l.Per != "" && !hasParam(o.Path, l.Per) {
					bad("%s: group %q has a limit per %q, which is not a path parameter of %s", where, o.Group, l.Per, o.Path)
				}
			}
		}
		route := o.Method + " " + normPath(o.Path)
		if first, ok := byRoute[route]; ok {
			if f.Ops[first].Group != o.Group {
				bad("%s: same method and path as %q (%s) but group %q, not %q: the server cannot tell them apart", where, f.Ops[first].Op, route, o.Group, f.Ops[first].Group)
			}
		} else {
			byRoute[route] = i
		}
		for _, c := range o.Caps {
			switch c.In {
			case "body", "query":
			case "path":
				if !hasParam(o.Path, c.Name) {
					bad("%s: path cap %q is not a path parameter", where, c.Name)
				}
			default:
				bad("%s: cap %q: in must be body, path or query, got %q", where, c.Name, c.In)
			}
			if c.Name == "" || c.Max <= 0 {
				bad("%s: cap %q needs a name and a positive max", where, c.Name)
			}
		}
		kinds := 0
		for _, set := range []bool{o.Seed != nil, o.VariantOf != "", o.Source != ""} {
			if set {
				kinds++
			}
		}
		if kinds != 1 {
			bad("%s: needs exactly one of seed, variant_of or source", where)
		}
		if o.Seed != nil {
			s := o.Seed
			if s.Module == "" || s.Name == "" || s.Method == "" || s.Path == "" || s.Quota == "" {
				bad("%s: seed row needs module, name, method, path and quota", where)
			}
		} else if o.Fix != "" {
			bad("%s: fix without a seed row", where)
		}
	}
	// Variants are checked once every op is known: they may point forward.
	for _, o := range f.Ops {
		if o.VariantOf == "" {
			continue
		}
		j, ok := opIdx[o.VariantOf]
		switch {
		case !ok:
			bad("op %q: variant_of %q is not an op", o.Op, o.VariantOf)
		case f.Ops[j].Seed == nil:
			bad("op %q: variant_of %q, which has no seed row", o.Op, o.VariantOf)
		case f.Ops[j].Group != o.Group:
			bad("op %q: variant_of %q but in group %q, not %q", o.Op, o.VariantOf, o.Group, f.Ops[j].Group)
		}
	}
	for i, u := range used {
		if !u {
			bad("group %q is not used by any op", f.Groups[i].Name)
		}
	}
	return errors.Join(errs...)
}

// normPath blanks parameter names: /a/{x} and /a/{y} are one route.
func normPath(p string) string { return pathParamRE.ReplaceAllString(p, "{}") }

func hasParam(path, name string) bool {
	for _, m := range pathParamRE.FindAllStringSubmatch(path, -1) {
		if m[1] == name {
			return true
		}
	}
	return false
}

// camel turns "users.account_write" into UsersAccountWrite and "users.Get"
// into UsersGet.
func camel(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]))
		b.WriteString(part[1:])
	}
	return b.String()
}
