package users

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
)

// Get returns one user (获取单个用户详情). A missing user is an error
// matching easemob.ErrNotFound.
//
//meta:operation GET /users/{username} (users.Get)
func (s *Service) Get(ctx context.Context, username string) (*User, error) {
	u, found, err := s.oneUser(ctx, catalog.UsersGet, username)
	if err == nil && !found {
		err = &core.Error{Op: catalog.UsersGet.ID, StatusCode: 404, Code: "service_resource_not_found", Description: "no user entity in response"}
	}
	return u, err
}

// oneUser runs a call on one user's path and returns the entity the
// response carries, if any; without one it returns a User holding only the
// name.
func (s *Service) oneUser(ctx context.Context, op *catalog.Op, username string) (*User, bool, error) {
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, false, err
	}
	var out envelope
	if err := s.c.Do(ctx, &core.Request{Op: op, Params: []string{username}, Result: &out}); err != nil {
		return nil, false, err
	}
	if len(out.Entities) == 0 {
		return &User{Username: username}, false, nil
	}
	return &out.Entities[0], true, nil
}

// ListParams page through the users of the app, oldest first.
type ListParams struct {
	// Limit is the page size, 1 to 100; 0 means the server default (10).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
}

func (p ListParams) query(op string) (url.Values, error) {
	if p.Limit < 0 || p.Limit > 100 {
		return nil, core.Invalid(op, "Limit", "%d is not in [1, 100]", p.Limit)
	}
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return q, nil
}

// List returns one page of users (批量获取用户).
//
//meta:operation GET /users (users.List)
func (s *Service) List(ctx context.Context, p ListParams) (*Page, error) {
	return s.page(ctx, catalog.UsersList, p)
}

// page runs a paged call (list or batch delete) and returns its page.
func (s *Service) page(ctx context.Context, op *catalog.Op, p ListParams) (*Page, error) {
	q, err := p.query(op.ID)
	if err != nil {
		return nil, err
	}
	var out envelope
	if err := s.c.Do(ctx, &core.Request{Op: op, Query: q, Result: &out}); err != nil {
		return nil, err
	}
	return &Page{Users: out.Entities, Cursor: out.Cursor}, nil
}

// All walks every user from p.Cursor on, page after page, each page paying
// its quota. It stops at the last page or the first error.
func (s *Service) All(ctx context.Context, p ListParams) iter.Seq2[User, error] {
	return core.CursorPages(ctx, func(ctx context.Context, cursor string) ([]User, string, error) {
		q := p // each page gets its own copy of the caller's params
		if cursor != "" {
			q.Cursor = cursor
		}
		page, err := s.List(ctx, q)
		if err != nil {
			return nil, "", err
		}
		return page.Users, page.Cursor, nil
	})
}

// Delete deletes one user (删除单个用户). Groups and chatrooms the user owns
// are deleted with it.
//
//meta:operation DELETE /users/{username} (users.Delete)
func (s *Service) Delete(ctx context.Context, username string) (*User, error) {
	u, _, err := s.oneUser(ctx, catalog.UsersDelete, username)
	return u, err
}

// DeleteBatch deletes the p.Limit earliest-created users from p.Cursor on
// (批量删除用户). The API takes no list of names: use it to clean up test
// data. It returns the deleted users and the cursor of what follows.
//
//meta:operation DELETE /users (users.DeleteBatch)
func (s *Service) DeleteBatch(ctx context.Context, p ListParams) (*Page, error) {
	return s.page(ctx, catalog.UsersDeleteBatch, p)
}

// ChangePassword sets a new password (修改用户密码); the user's tokens stop
// working and online devices are logged out.
//
//meta:operation PUT /users/{username}/password (users.ChangePassword)
func (s *Service) ChangePassword(ctx context.Context, username, newPassword string) error {
	op := catalog.UsersChangePassword
	if err := checkNewUser(op.ID, NewUser{Username: username, Password: newPassword}); err != nil {
		return err
	}
	body := map[string]string{"newpassword": newPassword}
	return s.c.Do(ctx, &core.Request{Op: op, Params: []string{username}, Body: body})
}

// Deactivate bans a user (账号封禁): logged out at once and unable to log in
// until Activate.
//
//meta:operation POST /users/{username}/deactivate (users.Deactivate)
func (s *Service) Deactivate(ctx context.Context, username string) (*User, error) {
	u, _, err := s.oneUser(ctx, catalog.UsersDeactivate, username)
	return u, err
}

// Activate lifts a ban (账号解禁).
//
//meta:operation POST /users/{username}/activate (users.Activate)
func (s *Service) Activate(ctx context.Context, username string) error {
	op := catalog.UsersActivate
	if err := checkUsername(op.ID, "username", username); err != nil {
		return err
	}
	return s.c.Do(ctx, &core.Request{Op: op, Params: []string{username}})
}

// decodeLoose decodes v unless it is null or empty.
func decodeLoose(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}
