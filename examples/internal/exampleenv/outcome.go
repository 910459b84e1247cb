package exampleenv

import "github.com/emquota/easemob/batch"

// Outcome says what became of one batch item: its status, and the reason
// when it is not done ("failed (user not found)").
func Outcome[In, Out any](it batch.Item[In, Out]) string {
	if it.Status == batch.Done || it.Reason == "" {
		return it.Status.String()
	}
	return it.Status.String() + " (" + it.Reason + ")"
}
