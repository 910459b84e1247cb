package groups

import (
	"context"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
)

// Admins lists a group's admins (获取群管理员列表).
//
//meta:operation GET /chatgroups/{group_id}/admin (groups.ListAdmins)
func (s *Service) Admins(ctx context.Context, groupID string, opts ...option.Call) ([]string, error) {
	return s.names(ctx, groupRequest(catalog.GroupsListAdmins, groupID, opts))
}

// AddAdmin makes a member an admin (添加群管理员); a group has at most 99.
//
//meta:operation POST /chatgroups/{group_id}/admin (groups.AddAdmin)
func (s *Service) AddAdmin(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	op := catalog.GroupsAddAdmin
	if err := checkUser(op.ID, "username", username); err != nil {
		return false, err
	}
	r := groupRequest(op, groupID, opts)
	r.Body = map[string]string{"newadmin": username}
	return s.flag(ctx, r, "result")
}

// RemoveAdmin makes an admin a plain member again (移除群管理员).
//
//meta:operation DELETE /chatgroups/{group_id}/admin/{username} (groups.RemoveAdmin)
func (s *Service) RemoveAdmin(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsRemoveAdmin, groupID, opts, "username", username), "result")
}

// Blocked lists a group's blocklist (查询群组黑名单).
//
//meta:operation GET /chatgroups/{group_id}/blocks/users (groups.ListBlocked)
func (s *Service) Blocked(ctx context.Context, groupID string, opts ...option.Call) ([]string, error) {
	return s.names(ctx, groupRequest(catalog.GroupsListBlocked, groupID, opts))
}

// BlockMember puts a member on the group's blocklist (添加单个用户至群组黑名单): it
// leaves the group and cannot join again until UnblockMember. The owner cannot
// be blocked.
//
//meta:operation POST /chatgroups/{group_id}/blocks/users/{username} (groups.BlockMember)
func (s *Service) BlockMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsBlockMember, groupID, opts, "username", username), "result")
}

// BlockMembers blocks members (批量添加用户至群组黑名单), at most 60 a call,
// and reports each name.
//
//meta:operation POST /chatgroups/{group_id}/blocks/users (groups.BlockMembers)
func (s *Service) BlockMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsBlockMembers, body: usernamesBody, value: done}.run(ctx, s, groupID, usernames, opts)
}

// UnblockMember takes a user off the blocklist (从群组黑名单移除单个用户); it does
// not rejoin the group.
//
//meta:operation DELETE /chatgroups/{group_id}/blocks/users/{username} (groups.UnblockMember)
func (s *Service) UnblockMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsUnblockMember, groupID, opts, "username", username), "result")
}

// UnblockMembers takes users off the blocklist (从群组黑名单批量移除用户), at
// most 60 a call, and reports each name.
//
//meta:operation DELETE /chatgroups/{group_id}/blocks/users/{usernames} (groups.UnblockMembers)
func (s *Service) UnblockMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsUnblockMembers, value: done}.run(ctx, s, groupID, usernames, opts)
}

// Allowlist lists a group's allowlist (查询群组白名单): members who may speak
// while the whole group is muted.
//
//meta:operation GET /chatgroups/{group_id}/white/users (groups.ListAllowlist)
func (s *Service) Allowlist(ctx context.Context, groupID string, opts ...option.Call) ([]string, error) {
	return s.names(ctx, groupRequest(catalog.GroupsListAllowlist, groupID, opts))
}

// AllowMember puts a member on the allowlist (添加单个用户至群组白名单).
//
//meta:operation POST /chatgroups/{group_id}/white/users/{username} (groups.AllowMember)
func (s *Service) AllowMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsAllowMember, groupID, opts, "username", username), "result")
}

// AllowMembers puts members on the allowlist (批量添加用户至群组白名单), at
// most 60 a call, and reports each name.
//
//meta:operation POST /chatgroups/{group_id}/white/users (groups.AllowMembers)
func (s *Service) AllowMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsAllowMembers, body: usernamesBody, value: done}.run(ctx, s, groupID, usernames, opts)
}

// DisallowMembers takes users off the allowlist (从群组白名单移除用户): one or many,
// at most 60 a call, each name reported.
//
//meta:operation DELETE /chatgroups/{group_id}/white/users/{usernames} (groups.DisallowMembers)
func (s *Service) DisallowMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsDisallowMembers, value: done}.run(ctx, s, groupID, usernames, opts)
}
