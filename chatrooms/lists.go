package chatrooms

import (
	"context"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// The block list keeps users out: a blocked member is removed and cannot
// join until unblocked; the owner cannot be blocked. The allow list lets
// members speak while the whole room is muted.

// ListBlocked returns a room's block list (查询聊天室黑名单).
//
//meta:operation GET /chatrooms/{chatroom_id}/blocks/users (chatrooms.ListBlocked)
func (s *Service) ListBlocked(ctx context.Context, roomID string, opts ...option.Call) ([]string, error) {
	return core.Data[[]string](ctx, s.c, roomRequest(catalog.ChatroomsListBlocked, roomID, option.Resolve(opts...)))
}

// BlockMember blocks a member of the room (添加单个用户至聊天室黑名单).
//
//meta:operation POST /chatrooms/{chatroom_id}/blocks/users/{username} (chatrooms.BlockMember)
func (s *Service) BlockMember(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsBlockMember, roomID, option.Resolve(opts...), "username", username))
}

// BlockMembers blocks members of the room (批量添加用户至聊天室黑名单),
// split into calls of at most 60, and reports each user.
//
//meta:operation POST /chatrooms/{chatroom_id}/blocks/users (chatrooms.BlockMembers)
func (s *Service) BlockMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.bodyBatch(ctx, catalog.ChatroomsBlockMembers, roomID, usernames, opts)
}

// UnblockMember takes a user off the room's block list (从聊天室黑名单移出单个用户).
//
//meta:operation DELETE /chatrooms/{chatroom_id}/blocks/users/{username} (chatrooms.UnblockMember)
func (s *Service) UnblockMember(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsUnblockMember, roomID, option.Resolve(opts...), "username", username))
}

// UnblockMembers takes users off the room's block list
// (从聊天室黑名单批量移除用户), split into calls of at most 60 names in the
// path, and reports each user.
//
//meta:operation DELETE /chatrooms/{chatroom_id}/blocks/users/{usernames} (chatrooms.UnblockMembers)
func (s *Service) UnblockMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.pathBatch(ctx, catalog.ChatroomsUnblockMembers, roomID, usernames, opts)
}

// ListAllowlist returns a room's allow list (查询聊天室白名单).
//
//meta:operation GET /chatrooms/{chatroom_id}/white/users (chatrooms.ListAllowlist)
func (s *Service) ListAllowlist(ctx context.Context, roomID string, opts ...option.Call) ([]string, error) {
	return core.Data[[]string](ctx, s.c, roomRequest(catalog.ChatroomsListAllowlist, roomID, option.Resolve(opts...)))
}

// AllowMember puts a member on the room's allow list (添加单个用户至聊天室白名单).
//
//meta:operation POST /chatrooms/{chatroom_id}/white/users/{username} (chatrooms.AllowMember)
func (s *Service) AllowMember(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsAllowMember, roomID, option.Resolve(opts...), "username", username))
}

// AllowMembers puts members on the room's allow list
// (批量添加用户至聊天室白名单), split into calls of at most 60, and reports
// each user.
//
//meta:operation POST /chatrooms/{chatroom_id}/white/users (chatrooms.AllowMembers)
func (s *Service) AllowMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.bodyBatch(ctx, catalog.ChatroomsAllowMembers, roomID, usernames, opts)
}

// DisallowMembers takes users off the room's allow list
// (将用户移出聊天室白名单), one or many, split into calls of at most 60
// names in the path, and reports each user.
//
//meta:operation DELETE /chatrooms/{chatroom_id}/white/users/{usernames} (chatrooms.DisallowMembers)
func (s *Service) DisallowMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.pathBatch(ctx, catalog.ChatroomsDisallowMembers, roomID, usernames, opts)
}
