package chatrooms

import (
	"context"
	"iter"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Super admins are the users allowed to create rooms from the client SDKs
// (the REST API always may).

// ListSuperAdmins returns one page of the app's super admins
// (分页获取超级管理员列表); the server's page size is 10.
//
//meta:operation GET /chatrooms/super_admin (chatrooms.ListSuperAdmins)
func (s *Service) ListSuperAdmins(ctx context.Context, p PageParams, opts ...option.Call) ([]string, error) {
	r := &core.Request{Op: catalog.ChatroomsListSuperAdmins, Query: p.query(), Opts: option.Resolve(opts...)}
	return core.Data[[]string](ctx, s.c, r)
}

// AllSuperAdmins walks the app's super admins from page p.Page on (the
// first when 0), p.Size a page (1000 when 0).
func (s *Service) AllSuperAdmins(ctx context.Context, p PageParams, opts ...option.Call) iter.Seq2[string, error] {
	first, size, at := p.walk()
	return core.NumberedPages(ctx, first, size, func(s string) string { return s }, func(ctx context.Context, page int) ([]string, error) {
		return s.ListSuperAdmins(ctx, at(page), opts...)
	})
}

// AddSuperAdmin makes a user a super admin (添加超级管理员).
//
//meta:operation POST /chatrooms/super_admin (chatrooms.AddSuperAdmin)
func (s *Service) AddSuperAdmin(ctx context.Context, username string, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsAddSuperAdmin
	if err := checkUser(op.ID, "username", username); err != nil {
		return false, err
	}
	return s.result(ctx, &core.Request{Op: op, Body: map[string]string{"superadmin": username}, Opts: option.Resolve(opts...)})
}

// RemoveSuperAdmin revokes a user's super admin role (撤销超级管理员).
//
//meta:operation DELETE /chatrooms/super_admin/{superAdmin} (chatrooms.RemoveSuperAdmin)
func (s *Service) RemoveSuperAdmin(ctx context.Context, username string, opts ...option.Call) error {
	op := catalog.ChatroomsRemoveSuperAdmin
	r := &core.Request{Op: op, Path: core.P("superAdmin", username), Opts: option.Resolve(opts...)}
	// The answer names the revoked user newSuperAdmin.
	res, err := core.Data[struct {
		Revoked *string `json:"newSuperAdmin"`
	}](ctx, s.c, r)
	if err == nil && res.Revoked == nil {
		err = &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no newSuperAdmin in the answer's data"}
	}
	return err
}
