package core

import (
	"bytes"
	"encoding/json"
)

// OneOrMany decodes a JSON array of T, or a single T where the docs'
// example (abbreviated, or answering a call that named one item) shows an
// object in place of the list.
type OneOrMany[T any] []T

// UnmarshalJSON accepts [..], a single value and null (no items).
func (l *OneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = nil
		return nil
	case b[0] == '[':
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		*l = items
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = OneOrMany[T]{one}
	return nil
}
