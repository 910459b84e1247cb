package threads

import (
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// MaxNameChars bounds a thread's name.
const MaxNameChars = 64

// Create creates a thread on a group message (创建子区) and returns its ID.
// The owner joins it.
//
//meta:operation POST /thread (threads.Create)
func (s *Service) Create(ctx context.Context, t NewThread, opts ...option.Call) (string, error) {
	op := catalog.ThreadsCreate
	if err := checkName(op.ID, t.Name); err != nil {
		return "", err
	}
	switch {
	case t.GroupID == "":
		return "", core.Invalid(op.ID, "GroupID", "empty")
	case t.MessageID == "":
		return "", core.Invalid(op.ID, "MessageID", "empty")
	}
	if err := rules.Username(t.Owner); err != nil {
		return "", core.Invalid(op.ID, "Owner", "%v", err)
	}
	data, err := core.Data[core.Object](ctx, s.c, &core.Request{Op: op, Body: t, Opts: option.Resolve(opts...)})
	if err != nil {
		return "", err
	}
	id := data.String("thread_id")
	if id == "" {
		return "", missing(op, "thread_id")
	}
	return id, nil
}

// Update renames a thread (修改子区) and returns the name the server holds.
//
//meta:operation PUT /thread/{thread_id} (threads.Update)
func (s *Service) Update(ctx context.Context, threadID, name string, opts ...option.Call) (string, error) {
	op := catalog.ThreadsUpdate
	if err := checkName(op.ID, name); err != nil {
		return "", err
	}
	data, err := core.Data[struct {
		Name *string `json:"name"`
	}](ctx, s.c, &core.Request{Op: op, Path: core.P("thread_id", threadID), Body: map[string]string{"name": name}, Opts: option.Resolve(opts...)})
	if err != nil {
		return "", err
	}
	if data.Name == nil {
		return "", missing(op, "name")
	}
	return *data.Name, nil
}

// Delete deletes a thread (删除子区). A missing thread is an error matching
// easemob.ErrNotFound.
//
//meta:operation DELETE /thread/{thread_id} (threads.Delete)
func (s *Service) Delete(ctx context.Context, threadID string, opts ...option.Call) error {
	return statusOK(ctx, s.c, &core.Request{Op: catalog.ThreadsDelete, Path: core.P("thread_id", threadID), Opts: option.Resolve(opts...)})
}

// statusOK runs r, whose documented answer carries data {"status":"ok"}.
func statusOK(ctx context.Context, c *core.Client, r *core.Request) error {
	data, err := core.Data[struct {
		Status string `json:"status"`
	}](ctx, c, r)
	if err == nil && data.Status != "ok" {
		err = &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "data.status is " + data.Status + ", not ok"}
	}
	return err
}

func checkName(op, name string) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return core.Invalid(op, "Name", "empty")
	case n > MaxNameChars:
		return core.Invalid(op, "Name", "%d characters, at most %d allowed", n, MaxNameChars)
	}
	return nil
}

func missing(op *catalog.Op, what string) error {
	return &core.DecodeError{Op: op.ID, StatusCode: http.StatusOK, Reason: "no " + what + " in the answer"}
}
