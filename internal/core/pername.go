package core

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
)

// NameResult is one item of the per-name answer of a batch call on users
// (remove, block, allow, mute...): {"result": true|false, "reason": "...",
// "user": "..."} plus fields of the op, kept in Raw.
type NameResult struct {
	User   string
	Result bool
	Reason string
	Raw    Object
}

// UnmarshalJSON reads result loosely (a bool, "true" or "success").
func (n *NameResult) UnmarshalJSON(b []byte) error {
	o, err := DecodeObject(b)
	if err != nil {
		return err
	}
	ok, _ := o.Bool("result")
	*n = NameResult{User: o.String("user"), Result: ok, Reason: o.String("reason"), Raw: o}
	return nil
}

// DecodeNameResults reads a per-name answer's data: an array of items, or
// one item alone (a one-name call takes the single form of some routes).
func DecodeNameResults(data json.RawMessage) ([]NameResult, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var one NameResult
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, err
		}
		return []NameResult{one}, nil
	}
	var items []NameResult
	err := json.Unmarshal(data, &items)
	return items, err
}

// ByName maps per-name items onto the names of a chunk: a name whose item
// says result true is accepted with value(item), one whose item says false
// is refused with its reason (or a generic one when it gives none), and a
// name no item mentions is refused with Omitted. Names match without case.
func ByName[Out any](chunk []string, items []NameResult, value func(NameResult) Out) []Outcome[Out] {
	found := make(map[string]Outcome[Out], len(items))
	for _, it := range items {
		switch {
		case it.Result:
			found[FoldKey(it.User)] = Accepted(value(it))
		case it.Reason != "":
			found[FoldKey(it.User)] = Refused[Out](it.Reason)
		default:
			found[FoldKey(it.User)] = Refused[Out](NoReason)
		}
	}
	return ByKey(chunk, FoldKey, found, Omitted)
}

// NoReason is given for an item the server refused without a reason.
const NoReason = "refused by the server without a reason"

// ByKey returns the outcome found holds for each item of a chunk under
// key(item), in chunk order; an item it lacks is refused with missing.
func ByKey[In, Out any](chunk []In, key func(In) string, found map[string]Outcome[Out], missing string) []Outcome[Out] {
	out := make([]Outcome[Out], len(chunk))
	for i, in := range chunk {
		o, ok := found[key(in)]
		if !ok {
			o = Refused[Out](missing)
		}
		out[i] = o
	}
	return out
}

// Listed runs r, whose answer's data lists under field the names the
// server took (an add-members call's "newmembers"), and maps the chunk
// onto it: a listed name is accepted, another is refused with missing.
func Listed(ctx context.Context, c *Client, r *Request, field string, chunk []string, missing string) ([]Outcome[struct{}], error) {
	data, err := Data[Object](ctx, c, r)
	if err != nil {
		return nil, err
	}
	var names *[]string
	if err := data.Decode(field, &names); err != nil || names == nil {
		return nil, &DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no data." + field + " in the answer", Err: err}
	}
	found := make(map[string]Outcome[struct{}], len(*names))
	for _, u := range *names {
		found[FoldKey(u)] = Accepted(struct{}{})
	}
	return ByKey(chunk, FoldKey, found, missing), nil
}
