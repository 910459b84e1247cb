package core

import "encoding/json"

// NameResult is one item of a per-name batch answer, such as
// {"result": false, "reason": "user: u1 doesn't exist in chatroom: 1", "user": "u1"}:
// the batch calls on group and chatroom members answer so, one item a name.
type NameResult struct {
	Name   string
	Done   bool
	Reason string
	// Item is the whole item, for the op's own fields (e.g. "expire").
	Item Object
}

// NoReason is the reason of an item the server refused without saying why.
const NoReason = "refused by the server without a reason"

// DecodeNameResults reads the per-name items of an answer's data: an array,
// or one object (a call naming one user is the single-user op to the
// server, which answers with one item). nameKey is the item's name field
// ("user"). An item's result may be a boolean or "success".
func DecodeNameResults(data json.RawMessage, nameKey string) ([]NameResult, error) {
	var items OneOrMany[Object]
	if err := json.Unmarshal(data, &items); err != nil {
		return nil, err
	}
	out := make([]NameResult, 0, len(items))
	for _, it := range items {
		done, known := it.Bool("result")
		r := NameResult{Name: it.String(nameKey), Done: done, Reason: it.String("reason"), Item: it}
		switch {
		case !known:
			r.Done, r.Reason = false, "no result in the server's answer"
		case !done && r.Reason == "":
			r.Reason = NoReason
		}
		out = append(out, r)
	}
	return out, nil
}

// NameOutcomes matches per-name results to the chunk by user ID (case
// folded): each name gets the server's verdict, a done one the value value
// makes of its item; a name the answer leaves out is refused with Omitted.
// When the answer names a user twice, the first item counts.
func NameOutcomes[Out any](chunk []string, results []NameResult, value func(NameResult) Out) []Outcome[Out] {
	byName := make(map[string]NameResult, len(results))
	for _, r := range results {
		k := FoldKey(r.Name)
		if _, dup := byName[k]; !dup {
			byName[k] = r
		}
	}
	out := make([]Outcome[Out], len(chunk))
	for i, name := range chunk {
		r, ok := byName[FoldKey(name)]
		switch {
		case !ok:
			out[i] = Refused[Out](Omitted)
		case !r.Done:
			out[i] = Refused[Out](r.Reason)
		default:
			out[i] = Accepted(value(r))
		}
	}
	return out
}
