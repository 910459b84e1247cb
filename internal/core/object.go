package core

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// Object is a JSON object read field by field: the docs give one field as
// a number in one answer and a string in the next, so entity types read
// their known fields loosely from one parse and keep the rest.
type Object map[string]json.RawMessage

// DecodeObject parses b once.
func DecodeObject(b []byte) (Object, error) {
	var o Object
	err := json.Unmarshal(b, &o)
	return o, err
}

// String returns field k as text: a JSON string unquoted, a number or
// boolean as written, "" when absent or null.
func (o Object) String(k string) string {
	raw := o[k]
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return ""
	case raw[0] != '"':
		return string(raw)
	case bytes.IndexByte(raw, '\\') < 0:
		return string(raw[1 : len(raw)-1]) // no escapes: the common case, without a decoder
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// Int64 returns field k as an integer, from a number or a numeric string;
// ok is false when absent or not a number.
func (o Object) Int64(k string) (n int64, ok bool) {
	s := o.String(k)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	return int64(f), err == nil
}

// Bool returns field k from a JSON boolean or the strings "true",
// "false", "success" and "failure" (admin calls answer so); ok is false
// when absent or none of them.
func (o Object) Bool(k string) (v, ok bool) {
	switch o.String(k) {
	case "true", "success":
		return true, true
	case "false", "failure":
		return false, true
	}
	return false, false
}

// Millis returns field k, milliseconds since the epoch, as a time; the
// zero time when absent or 0.
func (o Object) Millis(k string) time.Time {
	if n, ok := o.Int64(k); ok && n != 0 {
		return time.UnixMilli(n)
	}
	return time.Time{}
}

// Rest returns the fields other than known, or nil when there are none.
func (o Object) Rest(known ...string) map[string]json.RawMessage {
	for _, k := range known {
		delete(o, k)
	}
	if len(o) == 0 {
		return nil
	}
	return o
}

// Decode decodes field k into v; an absent or null field leaves v as it is.
func (o Object) Decode(k string, v any) error {
	raw, ok := o[k]
	if !ok || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}
