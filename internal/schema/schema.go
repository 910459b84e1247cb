// Package schema checks a request against its operation's documented
// schema: body fields, their JSON types, enums, non-empty strings, query
// parameters and per-call caps. The SDK runs it before spending quota, the
// emulator answers its findings with a 400, and the wire tests hold every
// recorded request to it.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
)

// Problem is one way a request breaks its schema.
type Problem struct {
	Field  string // dotted path into the body, or the query parameter
	Reason string
}

func (p Problem) Error() string { return p.Field + ": " + p.Reason }

// Body checks a JSON body. It returns the first problem, or nil.
func Body(op *catalog.Op, body []byte) *Problem {
	if op.Body == nil {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return &Problem{"body", "not JSON: " + err.Error()}
	}
	if p := value(op.Body, "", v); p != nil {
		return p
	}
	return bodyCaps(op, v)
}

// value checks v against spec s; where is the dotted path so far.
func value(s *catalog.Schema, where string, v any) *Problem {
	switch s.Kind {
	case "array":
		items, ok := v.([]any)
		if !ok {
			if s.Alt != nil {
				return value(s.Alt, where, v)
			}
			return &Problem{orRoot(where), "must be a JSON array"}
		}
		for i, it := range items {
			at := fmt.Sprintf("%s[%d]", where, i)
			if s.Items != nil {
				if p := value(s.Items, at, it); p != nil {
					return p
				}
			} else if s.ItemType != "" && !hasType(s.ItemType, it) {
				return &Problem{at, "must be " + string(s.ItemType)}
			}
		}
		return nil
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return &Problem{orRoot(where), "must be a JSON object"}
		}
		for _, f := range s.Fields {
			at := join(where, f.Name)
			fv, present := obj[f.Name]
			if !present || fv == nil {
				if f.Required && !f.WarnIfMissing {
					return &Problem{at, "required"}
				}
				continue
			}
			if p := field(&f, at, fv); p != nil {
				return p
			}
		}
	}
	return nil
}

func field(f *catalog.Field, at string, v any) *Problem {
	if !hasType(f.Type, v) {
		return &Problem{at, "must be " + string(f.Type)}
	}
	if s, ok := v.(string); ok {
		if f.NonEmpty && s == "" {
			return &Problem{at, "must not be empty"}
		}
		if len(f.Enum) > 0 && !slices.Contains(f.Enum, s) {
			return &Problem{at, fmt.Sprintf("%q is not one of %s", s, strings.Join(f.Enum, ", "))}
		}
	}
	if f.Nested == nil {
		return nil
	}
	if items, ok := v.([]any); ok {
		for i, it := range items {
			if p := value(f.Nested, fmt.Sprintf("%s[%d]", at, i), it); p != nil {
				return p
			}
		}
		return nil
	}
	return value(f.Nested, at, v)
}

// hasType reports whether a decoded JSON value has the documented type.
func hasType(t catalog.Type, v any) bool {
	switch t {
	case catalog.TypeString:
		_, ok := v.(string)
		return ok
	case catalog.TypeInteger:
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	case catalog.TypeNumber:
		_, ok := v.(json.Number)
		return ok
	case catalog.TypeBoolean:
		_, ok := v.(bool)
		return ok
	case catalog.TypeObject:
		_, ok := v.(map[string]any)
		return ok
	case catalog.TypeArray:
		_, ok := v.([]any)
		return ok
	case catalog.TypeStrings, catalog.TypeObjects:
		items, ok := v.([]any)
		if !ok {
			return false
		}
		elem := catalog.TypeString
		if t == catalog.TypeObjects {
			elem = catalog.TypeObject
		}
		for _, it := range items {
			if !hasType(elem, it) {
				return false
			}
		}
		return true
	}
	return true // a type the docs name loosely: not checked
}

// bodyCaps applies the op's body caps to the decoded body.
func bodyCaps(op *catalog.Op, v any) *Problem {
	for _, c := range op.Caps {
		if c.In != catalog.InBody {
			continue
		}
		var fv any
		if c.Name == "$" {
			fv = v
		} else if obj, ok := v.(map[string]any); ok {
			fv = obj[c.Name]
		}
		if fv == nil {
			continue
		}
		n, ok := measure(c.Kind, fv)
		if ok {
			if p := bound(&c, orRoot(c.Name), n); p != nil {
				return p
			}
		}
	}
	return nil
}

// measure returns a count cap's length or a value cap's integer.
func measure(kind catalog.CapKind, v any) (int, bool) {
	if kind == catalog.CapValue {
		if n, ok := v.(json.Number); ok {
			i, err := n.Int64()
			return int(i), err == nil
		}
		return 0, false
	}
	switch x := v.(type) {
	case []any:
		return len(x), true
	case map[string]any:
		return len(x), true
	case string:
		return len(strings.Split(x, ",")), x != ""
	}
	return 0, false
}

func bound(c *catalog.Cap, where string, n int) *Problem {
	what := "value"
	if c.Kind == catalog.CapCount {
		what = "count"
	}
	if n < c.Min || c.Max > 0 && n > c.Max {
		return &Problem{where, fmt.Sprintf("%s %d outside the documented %d to %d", what, n, c.Min, c.Max)}
	}
	return nil
}

// Query checks query parameters: required ones, conditional ones, types,
// enums and caps.
func Query(op *catalog.Op, q url.Values) *Problem {
	if s := op.Query; s != nil {
		for _, f := range s.Fields {
			v, present := q.Get(f.Name), q.Has(f.Name)
			if !present {
				if f.Required {
					return &Problem{f.Name, "required"}
				}
				continue
			}
			if p := queryValue(&f, v); p != nil {
				return p
			}
		}
		for _, c := range s.RequiredIf {
			if q.Get(c.When) == c.Equals && !q.Has(c.Param) {
				return &Problem{c.Param, fmt.Sprintf("required when %s is %s", c.When, c.Equals)}
			}
		}
	}
	for _, c := range op.Caps {
		if c.In != catalog.InQuery || !q.Has(c.Name) {
			continue
		}
		v := q.Get(c.Name)
		n := len(strings.Split(v, ","))
		if c.Kind == catalog.CapValue {
			i, err := strconv.Atoi(v)
			if err != nil {
				return &Problem{c.Name, "must be an integer"}
			}
			n = i
		}
		if p := bound(&c, c.Name, n); p != nil {
			return p
		}
	}
	return nil
}

func queryValue(f *catalog.Field, v string) *Problem {
	switch f.Type {
	case catalog.TypeInteger:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return &Problem{f.Name, "must be an integer"}
		}
	case catalog.TypeBoolean:
		if _, err := strconv.ParseBool(v); err != nil {
			return &Problem{f.Name, "must be true or false"}
		}
	}
	if f.NonEmpty && v == "" {
		return &Problem{f.Name, "must not be empty"}
	}
	if len(f.Enum) > 0 && !slices.Contains(f.Enum, v) {
		return &Problem{f.Name, fmt.Sprintf("%q is not one of %s", v, strings.Join(f.Enum, ", "))}
	}
	return nil
}

// MessageUnits returns the length of the op's message-unit field in a JSON
// body, or 0 when the op has none or the body lacks it.
func MessageUnits(op *catalog.Op, body []byte) int {
	for _, c := range op.Caps {
		if !c.Messages || c.In != catalog.InBody {
			continue
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) != nil {
			return 0
		}
		var items []json.RawMessage
		if json.Unmarshal(obj[c.Name], &items) != nil {
			return 0
		}
		return len(items)
	}
	return 0
}

func join(where, name string) string {
	if where == "" {
		return name
	}
	return where + "." + name
}

func orRoot(where string) string {
	if where == "" || where == "$" {
		return "body"
	}
	return where
}
