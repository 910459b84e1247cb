package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// renderCatalog writes catalog_gen.go: the groups with their limits, one
// Op variable per operation with every fact of it, and the lookups.
func renderCatalog(m *model) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("%spackage catalog\n\n", header)
	p("import (\n\t\"time\"\n\n\t\"github.com/emquota/easemob/ratelimit\"\n)\n\n")

	p("// Quota groups in the order of the documented table.\nconst (\n")
	for i, g := range m.groups {
		p("\t// Group%s is %q.\n", camel(g.Name), g.Name)
		if i == 0 {
			p("\tGroup%s GroupID = iota\n", camel(g.Name))
		} else {
			p("\tGroup%s\n", camel(g.Name))
		}
	}
	p("\n\t// NumGroups is the number of quota groups.\n\tNumGroups\n)\n\n")

	p("// Groups holds the documented default quota of every group.\n")
	p("var Groups = [NumGroups]ratelimit.Quota{\n")
	for _, g := range m.groups {
		p("\tGroup%s: {Group: %q, Limits: []ratelimit.Limit{\n", camel(g.Name), g.Name)
		for _, l := range g.Limits {
			p("\t\t{Count: %d, Window: %s, ", l.Count, goDuration(l.window))
			if l.Per != "" {
				p("Per: %q, ", l.Per)
			}
			p("Unit: ratelimit.%s},\n", goUnit(l.Unit))
		}
		p("\t}},\n")
	}
	p("}\n\n")

	p("// Operations, one per documented endpoint variant.\nvar (\n")
	for i, o := range m.ops {
		if i > 0 {
			p("\n")
		}
		p("\t// %s is %s: %s %s.\n", camel(o.Op), o.ep.Title, o.Method, o.Path)
		p("\t%s = %s\n", camel(o.Op), opLit(o))
	}
	p(")\n\n")

	p("// Ops lists every operation in table order.\nvar Ops = []*Op{\n")
	for _, o := range m.ops {
		p("\t%s,\n", camel(o.Op))
	}
	p("}\n\n")

	p("// GroupByName returns the group called name, e.g. \"users.get\".\n")
	p("func GroupByName(name string) (GroupID, bool) {\n\tswitch name {\n")
	for _, g := range m.groups {
		p("\tcase %q:\n\t\treturn Group%s, true\n", g.Name, camel(g.Name))
	}
	p("\t}\n\treturn 0, false\n}\n\n")

	renderProfiles(&b, m.profiles)
	p("\n")

	p("// OpByID returns the operation with the given id, e.g. \"users.Get\".\n")
	p("func OpByID(id string) (*Op, bool) {\n\tswitch id {\n")
	for _, o := range m.ops {
		p("\tcase %q:\n\t\treturn %s, true\n", o.Op, camel(o.Op))
	}
	p("\t}\n\treturn nil, false\n}\n")
	return b.Bytes()
}

// lit builds a composite literal one "Key: value" element a line; gofmt
// indents and aligns it.
type lit struct {
	typ   string
	elems []string
}

func (l *lit) add(key, value string) { l.elems = append(l.elems, key+": "+value) }

// multi writes the literal over several lines.
func (l *lit) multi() string {
	return l.typ + "{\n" + strings.Join(l.elems, ",\n") + ",\n}"
}

// inline writes the literal on one line, for small elements of a list.
func (l *lit) inline() string { return l.typ + "{" + strings.Join(l.elems, ", ") + "}" }

// list writes a slice literal with one element a line.
func list(typ string, elems []string) string {
	return typ + "{\n" + strings.Join(elems, ",\n") + ",\n}"
}

func opLit(o opModel) string {
	e := o.ep
	l := &lit{typ: "&Op"}
	l.add("ID", strconv.Quote(o.Op))
	l.add("Title", strconv.Quote(e.Title))
	l.add("Method", strconv.Quote(o.Method))
	l.add("Path", strconv.Quote(o.Path))
	if params := pathParams(e); len(params) > 0 {
		l.add("Params", "[]PathParam{"+strings.Join(params, ", ")+"}")
	}
	l.add("Group", "Group"+camel(o.Group))
	l.add("Auth", auths[e.Auth])
	l.add("Content", contents[e.ContentType])
	if e.BodyOptional {
		l.add("BodyOptional", "true")
	}
	if e.Select != nil {
		l.add("Select", selectorLit(e.Select))
	}
	if len(e.Caps) > 0 {
		caps := make([]string, len(e.Caps))
		for i, c := range e.Caps {
			caps[i] = capLit(c, c.Name == o.MessageUnits && c.In == "body")
		}
		l.add("Caps", list("[]Cap", caps))
	}
	if e.Body != nil {
		l.add("Body", schemaLit(e.Body))
	}
	if e.Query != nil {
		l.add("Query", schemaLit(e.Query))
	}
	if h := e.Headers; h != nil {
		l.add("Headers", list("[]Field", fieldLits(&schemaDef{Required: h.Required, Optional: h.Optional})))
	}
	if e.Multipart != nil {
		l.add("Parts", goStrings(e.Multipart.RequiredParts))
	}
	if e.ResponseKind == "binary" {
		l.add("Binary", "true")
	}
	if ex, _ := compactExample(e.ExampleResponse); ex != "" { // validated JSON
		l.add("Example", goString(ex))
	}
	if e.Synthesized {
		l.add("Synthesized", "true")
	}
	if o.SDK != "" {
		l.add("SDK", strconv.Quote(o.SDK))
	}
	return l.multi()
}

// pathParams lists the {…} segments of the path in order, with what
// path_params documents of each.
func pathParams(e *endpoint) []string {
	var out []string
	for _, m := range pathParamRE.FindAllStringSubmatch(e.Path, -1) {
		l := &lit{}
		l.add("Name", strconv.Quote(m[1]))
		if d, ok := e.PathParams[m[1]]; ok {
			if len(d.Enum) > 0 {
				l.add("Enum", goStrings(d.Enum))
			}
			if d.Pattern != "" {
				l.add("Pattern", goString(d.Pattern))
			}
			if d.List {
				l.add("List", "true")
			}
		}
		out = append(out, l.inline())
	}
	return out
}

func selectorLit(s *selectDef) string {
	l := &lit{typ: "Selector"}
	var str string
	var flag bool
	switch s.By {
	case "default":
		l.add("By", "SelectDefault")
	case "no_auth":
		l.add("By", "SelectNoAuth")
	case "body_field_value":
		_ = json.Unmarshal(s.Value, &str)
		l.add("By", "SelectBodyFieldValue")
		l.add("Field", strconv.Quote(s.Field))
		l.add("Value", strconv.Quote(str))
	case "body_kind":
		_ = json.Unmarshal(s.Value, &str)
		l.add("By", "SelectBodyKind")
		l.add("Value", strconv.Quote(str))
	case "body_has_any":
		l.add("By", "SelectBodyHasAny")
		l.add("Fields", goStrings(s.Fields))
	case "path_has_comma":
		_ = json.Unmarshal(s.Value, &flag)
		l.add("By", "SelectPathHasComma")
		l.add("Field", strconv.Quote(s.Param))
		l.add("Value", strconv.Quote(strconv.FormatBool(flag)))
	case "header":
		_ = json.Unmarshal(s.Value, &str)
		l.add("By", "SelectHeader")
		l.add("Field", strconv.Quote(s.Name))
		l.add("Value", strconv.Quote(str))
	}
	return l.inline()
}

func capLit(c capDef, messages bool) string {
	l := &lit{}
	l.add("In", map[string]string{"body": "InBody", "path": "InPath", "query": "InQuery"}[c.In])
	l.add("Name", strconv.Quote(c.Name))
	l.add("Kind", map[string]string{"count": "CapCount", "value": "CapValue"}[c.Kind])
	for _, n := range []struct {
		key string
		v   *int
	}{{"Min", c.Min}, {"Max", c.Max}, {"WarnAbove", c.WarnAbove}} {
		if n.v != nil && *n.v != 0 {
			l.add(n.key, strconv.Itoa(*n.v))
		}
	}
	if c.Severity == "warn" {
		l.add("Warn", "true")
	}
	if messages {
		l.add("Messages", "true")
	}
	return l.inline()
}

func schemaLit(s *schemaDef) string {
	l := &lit{typ: "&Schema"}
	if s.Kind != "" {
		l.add("Kind", strconv.Quote(s.Kind))
	}
	if fields := fieldLits(s); len(fields) > 0 {
		l.add("Fields", list("[]Field", fields))
	}
	if s.Items != nil {
		l.add("Items", schemaLit(s.Items))
	}
	if s.ItemType != "" {
		l.add("ItemType", types[s.ItemType])
	}
	if len(s.Checks) > 0 {
		l.add("Checks", goStrings(s.Checks))
	}
	if s.Open {
		l.add("Open", "true")
	}
	if len(s.RequiredIf) > 0 {
		conds := make([]string, len(s.RequiredIf))
		for i, c := range s.RequiredIf {
			conds[i] = fmt.Sprintf("{Param: %q, When: %q, Equals: %q}", c.Param, c.When, c.Equals)
		}
		l.add("RequiredIf", "[]Condition{"+strings.Join(conds, ", ")+"}")
	}
	if s.Alt != nil {
		l.add("Alt", schemaLit(s.Alt))
	}
	if len(l.elems) == 0 {
		return "&Schema{}"
	}
	return l.multi()
}

// fieldLits writes the required fields, then the optional ones, each in the
// data file's order.
func fieldLits(s *schemaDef) []string {
	var out []string
	for i, f := range s.fields() {
		l := &lit{}
		l.add("Name", strconv.Quote(f.Name))
		l.add("Type", types[f.Type])
		if i < len(s.Required) {
			l.add("Required", "true")
		}
		if slices.Contains(s.WarnIfMissing, f.Name) {
			l.add("WarnIfMissing", "true")
		}
		if slices.Contains(s.NonEmpty, f.Name) {
			l.add("NonEmpty", "true")
		}
		if enum, ok := s.Enums[f.Name]; ok {
			l.add("Enum", goStrings(enum.values))
		}
		if n, ok := s.Nested[f.Name]; ok {
			l.add("Nested", schemaLit(n))
		}
		out = append(out, l.inline())
	}
	return out
}

func goUnit(u string) string {
	if u == "messages" {
		return "Messages"
	}
	return "Calls"
}
