package core

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Int64 decodes a JSON number or a numeric string: the docs show both for
// the same fields (timestamps, counts, expiry).
type Int64 int64

// UnmarshalJSON accepts 12, "12", null and "".
func (n *Int64) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil {
			return err
		}
		v = int64(f)
	}
	*n = Int64(v)
	return nil
}

// Bool decodes a JSON bool or the strings "true"/"false"/"success".
type Bool bool

// UnmarshalJSON accepts true, "true", "success" (admin calls say so) and their opposites.
func (v *Bool) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*v = Bool(s == "true" || s == "success")
		return nil
	}
	var x bool
	if string(b) == "null" {
		*v = false
		return nil
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*v = Bool(x)
	return nil
}
