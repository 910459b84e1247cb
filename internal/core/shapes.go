package core

import (
	"context"
	"encoding/json"
	"net/http"
)

// The documented success bodies come in a few shapes; one helper each
// runs the call and returns what the shape carries, or a *DecodeError when
// the answer lacks it (the server answered 2xx, so no server error is made
// up).

// envelope is the common success body.
type envelope struct {
	Entities json.RawMessage `json:"entities"`
	Data     json.RawMessage `json:"data"`
	Cursor   string          `json:"cursor"`
}

func (c *Client) envelope(ctx context.Context, r *Request) (*envelope, error) {
	var env envelope
	r.Result = &env
	if err := c.Do(ctx, r); err != nil {
		return nil, err
	}
	return &env, nil
}

func missing(r *Request, what string) error {
	return &DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no " + what + " in the answer"}
}

func decodeField(r *Request, raw json.RawMessage, what string, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return missing(r, what)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: what + " is not as documented", Err: err}
	}
	return nil
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
	env, err := c.envelope(ctx, r)
	if err != nil {
		return nil, "", err
	}
	var items []T
	if err := decodeField(r, env.Entities, "entities", &items); err != nil {
		return nil, "", err
	}
	return items, env.Cursor, nil
}

// Data runs r and decodes the answer's data field into a T.
func Data[T any](ctx context.Context, c *Client, r *Request) (T, error) {
	var v T
	env, err := c.envelope(ctx, r)
	if err != nil {
		return v, err
	}
	err = decodeField(r, env.Data, "data", &v)
	return v, err
}

// Exec runs r and checks only that the answer is JSON.
func Exec(ctx context.Context, c *Client, r *Request) error {
	_, err := c.envelope(ctx, r)
	return err
}
