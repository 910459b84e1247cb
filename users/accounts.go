package users

import (
	"context"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Register creates one account with the app token (授权注册单个用户).
//
//meta:operation POST /users (users.Register)
func (s *Service) Register(ctx context.Context, u NewUser, opts ...option.Call) (*User, error) {
	op := catalog.UsersRegister
	if err := checkNewUser(op.ID, u); err != nil {
		return nil, err
	}
	return core.Entity[User](ctx, s.c, &core.Request{Op: op, Body: u, Opts: option.Resolve(opts...)})
}

// Get returns one user (获取单个用户详情). A missing user is an error
// matching easemob.ErrNotFound.
//
//meta:operation GET /users/{username} (users.Get)
func (s *Service) Get(ctx context.Context, username string, opts ...option.Call) (*User, error) {
	return s.entity(ctx, catalog.UsersGet, username, opts)
}

// Delete deletes one user (删除单个用户) and returns it as it was. Groups
// and chatrooms the user owns are deleted with it.
//
//meta:operation DELETE /users/{username} (users.Delete)
func (s *Service) Delete(ctx context.Context, username string, opts ...option.Call) (*User, error) {
	return s.entity(ctx, catalog.UsersDelete, username, opts)
}

// Deactivate bans a user (账号封禁): logged out at once and unable to log in
// until Activate. It returns the user as the server now has it.
//
//meta:operation POST /users/{username}/deactivate (users.Deactivate)
func (s *Service) Deactivate(ctx context.Context, username string, opts ...option.Call) (*User, error) {
	return s.entity(ctx, catalog.UsersDeactivate, username, opts)
}

// Activate lifts a ban (账号解禁).
//
//meta:operation POST /users/{username}/activate (users.Activate)
func (s *Service) Activate(ctx context.Context, username string, opts ...option.Call) error {
	r, err := userRequest(catalog.UsersActivate, username, opts)
	if err != nil {
		return err
	}
	return core.Exec(ctx, s.c, r)
}

// ChangePassword sets a new password (修改用户密码); the user's tokens stop
// working and online devices are logged out.
//
//meta:operation PUT /users/{username}/password (users.ChangePassword)
func (s *Service) ChangePassword(ctx context.Context, username, newPassword string, opts ...option.Call) error {
	op := catalog.UsersChangePassword
	if err := checkNewUser(op.ID, NewUser{Username: username, Password: newPassword}); err != nil {
		return err
	}
	r := &core.Request{Op: op, Path: core.P("username", username), Body: map[string]string{"newpassword": newPassword}, Opts: option.Resolve(opts...)}
	return core.Exec(ctx, s.c, r)
}

// entity runs a call on one user's path whose answer carries the user.
func (s *Service) entity(ctx context.Context, op *catalog.Op, username string, opts []option.Call) (*User, error) {
	r, err := userRequest(op, username, opts)
	if err != nil {
		return nil, err
	}
	return core.Entity[User](ctx, s.c, r)
}

// userRequest is a call on one user's path, the username checked.
func userRequest(op *catalog.Op, username string, opts []option.Call, more ...string) (*core.Request, error) {
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, err
	}
	path := core.P(append([]string{userParam(op), username}, more...)...)
	return &core.Request{Op: op, Path: path, Opts: option.Resolve(opts...)}, nil
}

// userParam is the name the op's path gives the user ("username" or "owner_username").
func userParam(op *catalog.Op) string {
	if op.HasParam("owner_username") {
		return "owner_username"
	}
	return "username"
}
