package chatrooms

import (
	"context"
	"iter"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// ListMembers returns one page of a room's owner and members
// (分页获取聊天室成员列表); the server's page size is 1000.
//
//meta:operation GET /chatrooms/{chatroom_id}/users (chatrooms.ListMembers)
func (s *Service) ListMembers(ctx context.Context, roomID string, p PageParams, opts ...option.Call) ([]Member, error) {
	r := roomRequest(catalog.ChatroomsListMembers, roomID, option.Resolve(opts...))
	r.Query = p.query()
	return core.Data[core.OneOrMany[Member]](ctx, s.c, r)
}

// AllMembers walks a room's owner and members from page p.Page on (the
// first when 0), p.Size a page (1000 when 0).
func (s *Service) AllMembers(ctx context.Context, roomID string, p PageParams, opts ...option.Call) iter.Seq2[Member, error] {
	first, size, at := p.walk()
	return core.NumberedPages(ctx, first, size, func(m Member) string { return m.Username }, func(ctx context.Context, page int) ([]Member, error) {
		return s.ListMembers(ctx, roomID, at(page), opts...)
	})
}

// AddMember adds a user to a room (添加单个聊天室成员); a user already in
// the room counts as added.
//
//meta:operation POST /chatrooms/{chatroom_id}/users/{username} (chatrooms.AddMember)
func (s *Service) AddMember(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsAddMember, roomID, option.Resolve(opts...), "username", username))
}

// notAdded is the reason of a user the answer's newmembers leaves out.
const notAdded = "not among the members the server added"

// AddMembers adds users to a room (批量添加聊天室成员), split into calls of
// at most 60 (the count every page of the docs accepts). The result has
// one item per user in input order: added (members already in count as
// added), or failed when the server's newmembers leaves the user out or
// its call failed.
//
//meta:operation POST /chatrooms/{chatroom_id}/users (chatrooms.AddMembers)
func (s *Service) AddMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.ChatroomsAddMembers
	if err := checkRoom(op.ID, roomID); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := roomRequest(op, roomID, set)
			r.Body = map[string][]string{"usernames": chunk}
			out, err := core.Listed(ctx, s.c, r, "newmembers", chunk, notAdded)
			return out, r, err
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}

// RemoveMember removes a user from a room (移除单个聊天室成员).
//
//meta:operation DELETE /chatrooms/{chatroom_id}/users/{username} (chatrooms.RemoveMember)
func (s *Service) RemoveMember(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsRemoveMember, roomID, option.Resolve(opts...), "username", username))
}

// RemoveMembers removes users from a room (批量移除聊天室成员), split into
// calls of at most 60 names in the path. The result has one item per user
// in input order, with the server's reason for each it refused.
//
//meta:operation DELETE /chatrooms/{chatroom_id}/users/{usernames} (chatrooms.RemoveMembers)
func (s *Service) RemoveMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.pathBatch(ctx, catalog.ChatroomsRemoveMembers, roomID, usernames, opts)
}

// ListAdmins returns a room's admins (获取聊天室管理员列表).
//
//meta:operation GET /chatrooms/{chatroom_id}/admin (chatrooms.ListAdmins)
func (s *Service) ListAdmins(ctx context.Context, roomID string, opts ...option.Call) ([]string, error) {
	return core.Data[[]string](ctx, s.c, roomRequest(catalog.ChatroomsListAdmins, roomID, option.Resolve(opts...)))
}

// AddAdmin makes a member an admin of the room (添加聊天室管理员).
//
//meta:operation POST /chatrooms/{chatroom_id}/admin (chatrooms.AddAdmin)
func (s *Service) AddAdmin(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsAddAdmin
	if err := checkUser(op.ID, "username", username); err != nil {
		return false, err
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	r.Body = map[string]string{"newadmin": username}
	return s.result(ctx, r)
}

// RemoveAdmin makes an admin a plain member again (移除聊天室管理员).
//
//meta:operation DELETE /chatrooms/{chatroom_id}/admin/{oldadmin} (chatrooms.RemoveAdmin)
func (s *Service) RemoveAdmin(ctx context.Context, roomID, username string, opts ...option.Call) (bool, error) {
	return s.result(ctx, roomRequest(catalog.ChatroomsRemoveAdmin, roomID, option.Resolve(opts...), "oldadmin", username))
}

// pathBatch runs a batch whose names go in the path ({usernames}, joined
// by commas, each escaped on its own) and whose answer is per user.
func (s *Service) pathBatch(ctx context.Context, op *catalog.Op, roomID string, usernames []string, opts []option.Call) (*batch.Result[string, struct{}], error) {
	return userBatch(ctx, s, op, roomID, usernames, opts, func(chunk []string, set option.Settings) *core.Request {
		return roomRequest(op, roomID, set, "usernames", joinIDs(chunk))
	}, none)
}

// bodyBatch runs a batch whose names go in the body's usernames and whose
// answer is per user.
func (s *Service) bodyBatch(ctx context.Context, op *catalog.Op, roomID string, usernames []string, opts []option.Call) (*batch.Result[string, struct{}], error) {
	return userBatch(ctx, s, op, roomID, usernames, opts, func(chunk []string, set option.Settings) *core.Request {
		r := roomRequest(op, roomID, set)
		r.Body = map[string][]string{"usernames": chunk}
		return r
	}, none)
}
