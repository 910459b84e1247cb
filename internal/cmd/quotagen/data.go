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
	// Profiles are the quota tables of other docs versions (profiles.go).
	Profiles []profile `json:"profiles"`
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
	Op     string `json:"op"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Group  string `json:"group"`
	// SDK is the method implementing the op, "Field.Method" of easemob.Client.
	SDK string `json:"sdk"`
	// MessageUnits names the body cap whose count is the call's message cost.
	MessageUnits string   `json:"message_units"`
	Seed         *seedRow `json:"seed"`
	Fix          string   `json:"fix"`
	VariantOf    string   `json:"variant_of"`
	Source       string   `json:"source"`
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
	sdkRE       = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*$`)
	pathParamRE = regexp.MustCompile(`\{([^{}]*)\}`)
	// reserved are the hand-written names of package catalog and the
	// generated table names an op or group identifier must not take
	// (TestReservedCoversCatalog keeps the list whole).
	reserved = map[string]bool{
		"GroupID": true, "CapIn": true, "InBody": true, "InPath": true, "InQuery": true,
		"CapKind": true, "CapCount": true, "CapValue": true, "Cap": true,
		"Auth": true, "AuthApp": true, "AuthNone": true, "AuthUser": true, "AuthAppOrUser": true,
		"Content": true, "ContentNone": true, "ContentJSON": true, "ContentForm": true, "ContentMultipart": true,
		"SelectBy": true, "SelectNone": true, "SelectDefault": true, "SelectBodyFieldValue": true,
		"SelectBodyKind": true, "SelectBodyHasAny": true, "SelectNoAuth": true, "SelectPathHasComma": true,
		"SelectHeader": true, "Selector": true,
		"Type": true, "TypeString": true, "TypeInteger": true, "TypeNumber": true, "TypeBoolean": true,
		"TypeObject": true, "TypeArray": true, "TypeStrings": true, "TypeObjects": true, "TypeList": true,
		"Field": true, "Schema": true, "Condition": true, "PathParam": true, "Op": true,
		"Groups": true, "Ops": true, "NumGroups": true, "GroupByName": true, "OpByID": true,
		"Pool": true, "Profile": true, "Profiles": true,
	}
)

// decodeStrict decodes one JSON document, refusing unknown keys: a
// misspelt key would silently drop data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if dec.More() {
		return errors.New("decode: data after the top-level value")
	}
	return nil
}

// validate checks the rules of quotas.json alone that the generated code
// relies on, and returns every violation.
func (f *quotaFile) validate() []error {
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
			g.Limits[j].check(fmt.Sprintf("%s limit %d", where, j), bad)
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
		if o.SDK != "" && !sdkRE.MatchString(o.SDK) {
			bad("%s: sdk %q must be Field.Method of easemob.Client, e.g. Users.Get", where, o.SDK)
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
	f.validateProfiles(groupIdx, bad)
	return errs
}

// check validates one limit (lw names it in messages) and parses its window.
func (l *limit) check(lw string, bad func(string, ...any)) {
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

// countsMessages reports whether some limit of the group counts messages.
func (g *group) countsMessages() bool {
	for _, l := range g.Limits {
		if l.Unit == "messages" {
			return true
		}
	}
	return false
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
