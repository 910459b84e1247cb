package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// endpointsFile mirrors data/endpoints.json; its "conventions" block
// documents the fields.
type endpointsFile struct {
	About       string            `json:"about"`
	Conventions map[string]string `json:"conventions"`
	Operations  []endpoint        `json:"operations"`
}

// endpoint is the facts of one operation. The prose (notes, example_source,
// example_note, alt_note, cap notes) is decoded so that an unknown key stays
// an error, but is not generated.
type endpoint struct {
	Op              string                  `json:"op"`
	Title           string                  `json:"title"`
	Method          string                  `json:"method"`
	Path            string                  `json:"path"`
	PathParams      map[string]pathParamDef `json:"path_params"`
	Auth            string                  `json:"auth"`
	ContentType     string                  `json:"content_type"`
	BodyOptional    bool                    `json:"body_optional"`
	Body            *schemaDef              `json:"body"`
	Query           *schemaDef              `json:"query"`
	Headers         *headersDef             `json:"headers"`
	Multipart       *multipartDef           `json:"multipart"`
	Select          *selectDef              `json:"select"`
	Caps            []capDef                `json:"caps"`
	ResponseKind    string                  `json:"response_kind"`
	ExampleResponse json.RawMessage         `json:"example_response"`
	Synthesized     bool                    `json:"synthesized"`
	ExampleSource   string                  `json:"example_source"`
	ExampleNote     string                  `json:"example_note"`
	Notes           []string                `json:"notes"`
}

type pathParamDef struct {
	Enum    []string `json:"enum"`
	Pattern string   `json:"pattern"`
	List    bool     `json:"list"`
}

// schemaDef is a body or query spec.
type schemaDef struct {
	Kind          string                `json:"kind"`
	Required      namedTypes            `json:"required"`
	Optional      namedTypes            `json:"optional"`
	Items         *schemaDef            `json:"items"`
	ItemType      string                `json:"item_type"`
	Enums         map[string]enumValues `json:"enums"`
	NonEmpty      []string              `json:"non_empty"`
	WarnIfMissing []string              `json:"warn_if_missing"`
	Nested        map[string]*schemaDef `json:"nested"`
	Checks        []string              `json:"checks"`
	Alt           *schemaDef            `json:"alt"`
	AltNote       string                `json:"alt_note"`
	Open          bool                  `json:"open"`
	RequiredIf    []conditionDef        `json:"required_if"`
}

type conditionDef struct {
	Param  string `json:"param"`
	When   string `json:"when"`
	Equals string `json:"equals"`
}

type headersDef struct {
	Required namedTypes `json:"required"`
	Optional namedTypes `json:"optional"`
}

type multipartDef struct {
	RequiredParts []string `json:"required_parts"`
}

// selectDef is a select rule; which of Field, Param, Name, Value and Fields
// it uses depends on By, and Value is a string or (path_has_comma) a bool.
type selectDef struct {
	By     string          `json:"by"`
	Field  string          `json:"field"`
	Param  string          `json:"param"`
	Name   string          `json:"name"`
	Value  json.RawMessage `json:"value"`
	Fields []string        `json:"fields"`
}

type capDef struct {
	In        string `json:"in"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Min       *int   `json:"min"`
	Max       *int   `json:"max"`
	WarnAbove *int   `json:"warn_above"`
	Severity  string `json:"severity"`
	Note      string `json:"note"`
}

// namedType is one "name": "type" member of a required or optional map.
type namedType struct{ Name, Type string }

// namedTypes keeps a JSON object of names to types in the file's order, so
// the generated fields follow the docs rather than the alphabet.
type namedTypes []namedType

func (n *namedTypes) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("want an object of names to types, got %s", data)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string) // a key is always a string
		var typ string
		if err := dec.Decode(&typ); err != nil {
			return fmt.Errorf("%q: the type must be a string: %w", name, err)
		}
		if seen[name] {
			return fmt.Errorf("%q given twice", name)
		}
		seen[name] = true
		*n = append(*n, namedType{name, typ})
	}
	_, err := dec.Token() // the closing brace
	return err
}

// enumValues are a field's allowed values as text: strings as they are,
// numbers (push.SetDisplayStyle's 0 and 1) as their JSON literal.
type enumValues struct {
	values  []string
	numbers bool // the values were JSON numbers
}

func (v *enumValues) UnmarshalJSON(data []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	numbers := 0
	for _, r := range raw {
		var s string
		var n json.Number
		switch {
		case json.Unmarshal(r, &s) == nil:
		case json.Unmarshal(r, &n) == nil:
			s = n.String()
			numbers++
		default:
			return fmt.Errorf("enum value %s is neither a string nor a number", r)
		}
		v.values = append(v.values, s)
	}
	if numbers > 0 && numbers < len(raw) {
		return fmt.Errorf("enum mixes strings and numbers: %s", data)
	}
	v.numbers = numbers > 0
	return nil
}

func (n namedTypes) has(name string) bool {
	return slices.ContainsFunc(n, func(t namedType) bool { return t.Name == name })
}

// types maps the docs' JSON type names to the catalog's Type constants.
var types = map[string]string{
	"string": "TypeString", "integer": "TypeInteger", "number": "TypeNumber",
	"boolean": "TypeBoolean", "object": "TypeObject", "array": "TypeArray",
	"string[]": "TypeStrings", "object[]": "TypeObjects", "list": "TypeList",
}

var (
	auths        = map[string]string{"app": "AuthApp", "none": "AuthNone", "user": "AuthUser", "app_or_user": "AuthAppOrUser"}
	contents     = map[string]string{"none": "ContentNone", "json": "ContentJSON", "form": "ContentForm", "multipart": "ContentMultipart"}
	knownChecks  = []string{"message_body", "broadcast_msg", "modify_msg"}
	headerNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)
)

// validate checks the rules of endpoints.json alone and returns every
// violation.
func (f *endpointsFile) validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(f.Operations) == 0 {
		bad("no operations")
	}
	seen := map[string]bool{}
	byRoute := map[string][]*endpoint{}
	for i := range f.Operations {
		e := &f.Operations[i]
		where := fmt.Sprintf("op %q", e.Op)
		if seen[e.Op] {
			bad("%s: defined twice", where)
			continue
		}
		seen[e.Op] = true
		route := e.Method + " " + normPath(e.Path)
		byRoute[route] = append(byRoute[route], e)
		for _, err := range e.validate() {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	// Ops sharing a route are told apart by their select rules; one alone
	// needs none. Routes are visited in file order for stable messages.
	done := map[string]bool{}
	for _, e := range f.Operations {
		route := e.Method + " " + normPath(e.Path)
		if done[route] {
			continue
		}
		done[route] = true
		ops := byRoute[route]
		defaults := 0
		for _, o := range ops {
			switch {
			case len(ops) == 1 && o.Select != nil:
				bad("op %q: has a select rule but is alone on %s", o.Op, route)
			case len(ops) > 1 && o.Select == nil:
				bad("op %q: shares %s with others but has no select rule", o.Op, route)
			}
			if o.Select != nil && o.Select.By == "default" {
				defaults++
			}
		}
		if defaults > 1 {
			bad("%s: %d ops select by default; at most one may", route, defaults)
		}
	}
	return errs
}

func (e *endpoint) validate() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !opIDRE.MatchString(e.Op) {
		bad("id must look like area.Name")
	}
	if e.Title == "" {
		bad("title is empty")
	}
	if _, ok := auths[e.Auth]; !ok {
		bad("auth %q is not none, app, user or app_or_user", e.Auth)
	}
	if _, ok := contents[e.ContentType]; !ok {
		bad("content_type %q is not none, json, form or multipart", e.ContentType)
	}
	for _, name := range mapKeys(e.PathParams) {
		p := e.PathParams[name]
		if !hasParam(e.Path, name) {
			bad("path_params: %q is not a parameter of %s", name, e.Path)
		}
		if p.Pattern != "" {
			if _, err := regexp.Compile(p.Pattern); err != nil {
				bad("path_params: %q: %v", name, err)
			}
		}
	}

	switch {
	case e.Body != nil && e.ContentType != "json":
		bad("a body spec needs content_type json, not %q", e.ContentType)
	case e.BodyOptional && e.Body == nil:
		bad("body_optional without a body")
	case (e.Multipart != nil) != (e.ContentType == "multipart"):
		bad("multipart parts go with content_type multipart and only with it")
	}
	if e.Body != nil {
		errs = append(errs, prefix("body", e.Body.validate(false))...)
	}
	if e.Query != nil {
		errs = append(errs, prefix("query", e.Query.validate(true))...)
	}
	if e.Headers != nil {
		for _, h := range append(slices.Clone(e.Headers.Required), e.Headers.Optional...) {
			if !headerNameRE.MatchString(h.Name) || types[h.Type] == "" {
				bad("headers: %q: bad name or type %q", h.Name, h.Type)
			}
		}
	}
	if e.Multipart != nil && len(e.Multipart.RequiredParts) == 0 {
		bad("multipart: no required_parts")
	}

	capNames := map[string]bool{}
	for _, c := range e.Caps {
		cw := fmt.Sprintf("cap %q", c.Name)
		if capNames[c.Name] {
			bad("%s: given twice (Op.Cap finds caps by name)", cw)
		}
		capNames[c.Name] = true
		switch {
		case c.In == "path" && !hasParam(e.Path, c.Name):
			bad("%s: not a path parameter", cw)
		case c.In == "query" && (e.Query == nil || !e.Query.fields().has(c.Name)):
			bad("%s: not a query parameter", cw)
		case c.In == "body" && c.Name == "$" && (e.Body == nil || e.Body.Kind != "array"):
			bad("%s: $ needs an array body", cw)
		case c.In == "body" && c.Name != "$" && (e.Body == nil || !e.Body.fields().has(c.Name)):
			bad("%s: not a body field", cw)
		case c.In != "path" && c.In != "query" && c.In != "body":
			bad("%s: in must be body, path or query, got %q", cw, c.In)
		}
		if c.Kind != "count" && c.Kind != "value" {
			bad("%s: kind must be count or value, got %q", cw, c.Kind)
		}
		if c.Severity != "error" && c.Severity != "warn" {
			bad("%s: severity must be error or warn, got %q", cw, c.Severity)
		}
		if c.Min == nil && c.Max == nil {
			bad("%s: neither min nor max", cw)
		}
		if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
			bad("%s: min %d above max %d", cw, *c.Min, *c.Max)
		}
		if c.WarnAbove != nil && (c.Max == nil || *c.WarnAbove >= *c.Max) {
			bad("%s: warn_above needs a larger max", cw)
		}
	}

	if e.Select != nil {
		errs = append(errs, prefix("select", e.Select.validate(e))...)
	}

	null := len(e.ExampleResponse) == 0 || string(e.ExampleResponse) == "null"
	switch e.ResponseKind {
	case "json":
		if null {
			bad("a json response needs an example_response")
		}
	case "binary":
		if !null || e.Synthesized {
			bad("a binary response has no example_response")
		}
	default:
		bad("response_kind %q is not json or binary", e.ResponseKind)
	}
	return errs
}

// fields lists required then optional members.
func (s *schemaDef) fields() namedTypes { return append(slices.Clone(s.Required), s.Optional...) }

func (s *schemaDef) validate(query bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case query && s.Kind != "":
		bad("a query has no kind")
	case !query && s.Kind != "object" && s.Kind != "array":
		bad("kind must be object or array, got %q", s.Kind)
	}
	fields := s.fields()
	names := map[string]string{} // name -> type
	for _, f := range fields {
		if _, dup := names[f.Name]; dup {
			bad("%q is both required and optional", f.Name)
		}
		names[f.Name] = f.Type
		if types[f.Type] == "" {
			bad("%q: unknown type %q", f.Name, f.Type)
		}
	}
	declared := func(what string, list []string) {
		for _, n := range list {
			if _, ok := names[n]; !ok {
				bad("%s %q is not a field", what, n)
			}
		}
	}
	declared("enum of", mapKeys(s.Enums))
	for _, n := range mapKeys(s.Enums) {
		switch t := names[n]; {
		case len(s.Enums[n].values) == 0:
			bad("enum of %q is empty", n)
		case s.Enums[n].numbers != (t == "integer" || t == "number"):
			bad("enum of %q: values do not fit the type %s", n, t)
		}
	}
	declared("non_empty", s.NonEmpty)
	declared("warn_if_missing", s.WarnIfMissing)
	for _, n := range mapKeys(s.Nested) {
		if t := names[n]; t != "object" && t != "object[]" {
			bad("nested %q is not an object or object[] field", n)
			continue
		}
		if s.Nested[n].Kind != "object" {
			bad("nested %q: kind must be object", n)
		}
		errs = append(errs, prefix("nested "+n, s.Nested[n].validate(false))...)
	}
	for _, c := range s.Checks {
		if !slices.Contains(knownChecks, c) {
			bad("unknown check %q", c)
		}
	}
	if s.Kind == "array" {
		if len(fields) > 0 || (s.Items == nil) == (s.ItemType == "") {
			bad("an array body has items or item_type (one of them) and no fields")
		}
		if s.ItemType != "" && types[s.ItemType] == "" {
			bad("unknown item_type %q", s.ItemType)
		}
	} else if s.Items != nil || s.ItemType != "" {
		bad("items and item_type belong to an array body")
	}
	if s.Items != nil {
		errs = append(errs, prefix("items", s.Items.validate(false))...)
	}
	if s.Alt != nil {
		errs = append(errs, prefix("alt", s.Alt.validate(false))...)
	}
	if !query && (s.Open || len(s.RequiredIf) > 0) {
		bad("open and required_if belong to a query")
	}
	for _, c := range s.RequiredIf {
		declared("required_if", []string{c.Param, c.When})
	}
	return errs
}

func (s *selectDef) validate(e *endpoint) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	var str string
	var flag bool
	strOK := json.Unmarshal(s.Value, &str) == nil && str != ""
	flagOK := json.Unmarshal(s.Value, &flag) == nil
	// used lists the keys a rule takes; any other one set is an error.
	used := map[string]bool{}
	switch s.By {
	case "default", "no_auth":
	case "body_field_value":
		used["field"], used["value"] = true, true
		if s.Field == "" || !strOK {
			bad("body_field_value needs a field and a string value")
		}
	case "body_kind":
		used["value"] = true
		if str != "array" && str != "object" {
			bad("body_kind value must be array or object")
		}
	case "body_has_any":
		used["fields"] = true
		if len(s.Fields) == 0 {
			bad("body_has_any needs fields")
		}
	case "path_has_comma":
		used["param"], used["value"] = true, true
		if !hasParam(e.Path, s.Param) || !flagOK {
			bad("path_has_comma needs a path parameter and a boolean value")
		}
	case "header":
		used["name"], used["value"] = true, true
		if !headerNameRE.MatchString(s.Name) || !strOK {
			bad("header needs a header name and a string value")
		}
	default:
		bad("by %q is not a known rule", s.By)
	}
	for _, k := range []struct {
		key string
		set bool
	}{{"field", s.Field != ""}, {"param", s.Param != ""}, {"name", s.Name != ""}, {"value", len(s.Value) > 0}, {"fields", len(s.Fields) > 0}} {
		if k.set && !used[k.key] {
			bad("%s does not take %s", s.By, k.key)
		}
	}
	return errs
}

func prefix(where string, errs []error) []error {
	for i, err := range errs {
		errs[i] = fmt.Errorf("%s: %w", where, err)
	}
	return errs
}

// mapKeys returns m's keys sorted, for messages and output in a stable order.
func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// compactExample returns the example response as compact JSON, keeping the
// docs' key order and number spelling (a float64 round trip would lose the
// 19-digit message ids).
func compactExample(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return "", err
	}
	return b.String(), nil
}
