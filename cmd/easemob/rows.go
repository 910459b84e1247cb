package main

import "github.com/emquota/easemob/batch"

// nameOutcome is what became of one user (or group, or room) of a call on many.
type nameOutcome struct {
	Name   string `json:"name"`
	Status string `json:"status"` // done, failed, unknown, not sent
	Reason string `json:"reason,omitempty"`
	// Value is the server's answer for the name, when it gives one (a
	// mute's end, a message ID).
	Value any `json:"value,omitempty"`
}

// userOutcome is a nameOutcome of a batch over usernames whose server
// answers nothing per user: its column says username and it has no value.
type userOutcome struct {
	Username string `json:"username"`
	Status   string `json:"status"` // done, failed, unknown, not sent
	Reason   string `json:"reason,omitempty"`
}

// perNames turns a batch result over user, group or room IDs into one row
// per ID; the batch's error is dropped when some were done (see quiet).
func perNames[Out any](res *batch.Result[string, Out], err error) ([]nameOutcome, error) {
	if res == nil {
		return nil, err
	}
	out := make([]nameOutcome, len(res.Items))
	for i, it := range res.Items {
		out[i] = nameOutcome{Name: it.Input, Status: it.Status.String(), Reason: it.Reason}
		if it.Reason == "" && it.Err != nil {
			// A call that failed as a whole gives no reason per item.
			out[i].Reason = it.Err.Error()
		}
		if it.Status == batch.Done {
			if v := any(it.Value); v != (struct{}{}) {
				out[i].Value = v
			}
		}
	}
	return out, quiet(err, res.Count(batch.Done) > 0)
}

// perUsernames is perNames with userOutcome rows. It answers a nil any
// when there is no result, so that only the error is shown.
func perUsernames[Out any](res *batch.Result[string, Out], err error) (any, error) {
	rows, err := perNames(res, err)
	if rows == nil {
		return nil, err
	}
	out := make([]userOutcome, len(rows))
	for i, r := range rows {
		out[i] = userOutcome{Username: r.Name, Status: r.Status, Reason: r.Reason}
	}
	return out, err
}
