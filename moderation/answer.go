package moderation

import (
	"context"
	"net/http"
	"strings"

	"github.com/emquota/easemob/internal/core"
)

// Keyword-list answers are {"status": "OK", ...}: an entity, or entities
// with the page fields, or nothing else.

type statusField struct {
	Status string `json:"status"`
}

func (s statusField) check(r *core.Request) error {
	if !strings.EqualFold(s.Status, "OK") {
		return &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "status is " + s.Status + ", not OK"}
	}
	return nil
}

// entity runs r and returns the answer's entity.
func entity[T any](ctx context.Context, c *core.Client, r *core.Request) (T, error) {
	var env struct {
		statusField
		Entity *T `json:"entity"`
	}
	r.Result = &env
	var zero T
	if err := c.Do(ctx, r); err != nil {
		return zero, err
	}
	if err := env.check(r); err != nil {
		return zero, err
	}
	if env.Entity == nil {
		return zero, &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no entity in the answer"}
	}
	return *env.Entity, nil
}

// entities runs r and returns the answer's entities and page fields.
func entities[T any](ctx context.Context, c *core.Client, r *core.Request) ([]T, Paging, error) {
	var env struct {
		statusField
		Entities *[]T `json:"entities"`
		paging
	}
	r.Result = &env
	if err := c.Do(ctx, r); err != nil {
		return nil, Paging{}, err
	}
	if err := env.check(r); err != nil {
		return nil, Paging{}, err
	}
	if env.Entities == nil {
		return nil, Paging{}, &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no entities in the answer"}
	}
	return *env.Entities, env.Paging(), nil
}

// paging holds the page fields of a search answer.
type paging struct {
	First            bool       `json:"first"`
	Last             bool       `json:"last"`
	Size             core.Int64 `json:"size"`
	Number           core.Int64 `json:"number"`
	NumberOfElements core.Int64 `json:"numberOfElements"`
	TotalPages       core.Int64 `json:"totalPages"`
	TotalElements    core.Int64 `json:"totalElements"`
}

func (p paging) Paging() Paging {
	return Paging{First: p.First, Last: p.Last, Size: int(p.Size), Number: int(p.Number),
		NumberOfElements: int(p.NumberOfElements), TotalPages: int(p.TotalPages), TotalElements: int(p.TotalElements)}
}

// done runs r, whose documented answer is {"status":"OK"}.
func done(ctx context.Context, c *core.Client, r *core.Request) error {
	var env statusField
	r.Result = &env
	if err := c.Do(ctx, r); err != nil {
		return err
	}
	return env.check(r)
}
