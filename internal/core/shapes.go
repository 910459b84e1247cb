package core

import (
	"context"
	"encoding/json"
	"net/http"
)

// The documented success bodies come in a few shapes; one helper each
// runs the call and returns what the shape carries, or a *DecodeError when
// the answer lacks it (the server answered 2xx, so no server error is made
// up). Each decodes the body once, straight into the typed shape.

func missing(r *Request, what string) error {
	return &DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no " + what + " in the answer"}
}

// Entity runs r and returns the first of the answer's entities.
func Entity[T any](ctx context.Context, c *Client, r *Request) (*T, error) {
	items, _, err := Entities[T](ctx, c, r)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, missing(r, "entity")
	}
	return &items[0], nil
}

// Entities runs r and returns the answer's entities (possibly none) and
// its cursor.
func Entities[T any](ctx context.Context, c *Client, r *Request) ([]T, string, error) {
	var env struct {
		Entities *[]T   `json:"entities"`
		Cursor   string `json:"cursor"`
	}
	r.Result = &env
	if err := c.Do(ctx, r); err != nil {
		return nil, "", err
	}
	if env.Entities == nil {
		return nil, "", missing(r, "entities")
	}
	return *env.Entities, env.Cursor, nil
}

// Data runs r and decodes the answer's data field into a T.
func Data[T any](ctx context.Context, c *Client, r *Request) (T, error) {
	var env struct {
		Data *T `json:"data"`
	}
	r.Result = &env
	if err := c.Do(ctx, r); err != nil {
		var zero T
		return zero, err
	}
	if env.Data == nil {
		var zero T
		return zero, missing(r, "data")
	}
	return *env.Data, nil
}

// Exec runs r and checks only that the answer is JSON.
func Exec(ctx context.Context, c *Client, r *Request) error {
	var env json.RawMessage
	r.Result = &env
	return c.Do(ctx, r)
}
