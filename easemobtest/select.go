package easemobtest

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
)

// selects reports whether the request is the op with selector sel, among
// the ops sharing its route (the "select" rules of endpoints.json).
func selects(sel catalog.Selector, q *request) bool {
	switch sel.By {
	case catalog.SelectBodyFieldValue:
		raw, ok := bodyObject(q)[sel.Field]
		if !ok {
			return false
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s == sel.Value
		}
		return string(raw) == sel.Value // a number or boolean, as written
	case catalog.SelectBodyKind:
		b := bytes.TrimSpace(q.body)
		if sel.Value == "array" {
			return bytes.HasPrefix(b, []byte("["))
		}
		return bytes.HasPrefix(b, []byte("{"))
	case catalog.SelectBodyHasAny:
		m := bodyObject(q)
		for _, f := range sel.Fields {
			if _, ok := m[f]; ok {
				return true
			}
		}
		return false
	case catalog.SelectNoAuth:
		return q.r.Header.Get("Authorization") == ""
	case catalog.SelectPathHasComma:
		return strings.Contains(q.param(sel.Field), ",") == (sel.Value == "true")
	case catalog.SelectHeader:
		return q.r.Header.Get(sel.Field) == sel.Value
	}
	return false
}

// bodyObject is the body's top-level fields; nil when it is not an object.
func bodyObject(q *request) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(q.body, &m)
	return m
}
