package presence

import (
	"context"
	"net/http"

	"github.com/emquota/easemob/internal/core"
)

// Presence answers are {"result": ...} and nothing else.

// result runs r and returns the answer's result field.
func result[T any](ctx context.Context, c *core.Client, r *core.Request) (T, error) {
	var env struct {
		Result *T `json:"result"`
	}
	r.Result = &env
	var zero T
	if err := c.Do(ctx, r); err != nil {
		return zero, err
	}
	if env.Result == nil {
		return zero, &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no result in the answer"}
	}
	return *env.Result, nil
}

// ok runs r, whose documented answer is {"result":"ok"}.
func ok(ctx context.Context, c *core.Client, r *core.Request) error {
	res, err := result[string](ctx, c, r)
	if err == nil && res != "ok" {
		err = &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "result is " + res + ", not ok"}
	}
	return err
}
