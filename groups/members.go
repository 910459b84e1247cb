package groups

import (
	"context"
	"iter"
	"strconv"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// MembersParams page through a group's members: pages numbered from 1, 1
// to 1000 members a page (default 1000), the owner first.
type MembersParams struct {
	PageNum  int
	PageSize int
	// JoinedTime asks for each member's join time.
	JoinedTime bool
}

// Members returns one page of a group's members (分页获取群成员列表).
//
//meta:operation GET /chatgroups/{group_id}/users (groups.ListMembers)
func (s *Service) Members(ctx context.Context, groupID string, p MembersParams, opts ...option.Call) ([]Member, error) {
	r := groupRequest(catalog.GroupsListMembers, groupID, opts)
	r.Query = pageQuery(p.PageNum, p.PageSize)
	if p.JoinedTime {
		r.Query.Set("joined_time", strconv.FormatBool(true))
	}
	return core.Data[[]Member](ctx, s.c, r)
}

// AllMembers walks every member of a group from page p.PageNum (0 means 1) on.
func (s *Service) AllMembers(ctx context.Context, groupID string, p MembersParams, opts ...option.Call) iter.Seq2[Member, error] {
	return numbered(ctx, max(p.PageNum, 1), p.PageSize, defaultMembersPage, func(m Member) string { return m.Username },
		func(ctx context.Context, num int) ([]Member, error) {
			q := p
			q.PageNum = num
			return s.Members(ctx, groupID, q, opts...)
		})
}

// AddMember adds a user to a group (添加单个群组成员). A user already in the
// group, or on its blocklist, is a 403 forbidden_op.
//
//meta:operation POST /chatgroups/{group_id}/users/{username} (groups.AddMember)
func (s *Service) AddMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsAddMember, groupID, opts, "username", username), "result")
}

// AddMembers adds users to a group (批量添加群组成员), split into calls of
// at most 60 sent concurrently within the quota. The result has one item
// per name in input order: done when the server lists it among the new
// members, failed with NotAdded when it does not (already a member,
// blocked), failed with the server's error when it refused the whole call
// (every name already in, the group full, a user that does not exist).
//
//meta:operation POST /chatgroups/{group_id}/users (groups.AddMembers)
func (s *Service) AddMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.GroupsAddMembers
	if err := checkGroupID(op.ID, groupID); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("group_id", groupID), Body: usernamesBody(chunk), Opts: set}
			out, err := core.Listed(ctx, s.c, r, "newmembers", chunk, NotAdded)
			return out, r, err
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}

// RemoveMember removes a user from a group (移除单个群组成员) and from its
// threads. The owner cannot be removed.
//
//meta:operation DELETE /chatgroups/{group_id}/users/{username} (groups.RemoveMember)
func (s *Service) RemoveMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsRemoveMember, groupID, opts, "username", username), "result")
}

// RemoveMembers removes users from a group (批量移除群组成员), at most 60 a
// call. The result has one item per name: done, failed with the server's
// reason (not a member, the owner), or failed as left out of the answer.
//
//meta:operation DELETE /chatgroups/{group_id}/users/{usernames} (groups.RemoveMembers)
func (s *Service) RemoveMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsRemoveMembers, value: done}.run(ctx, s, groupID, usernames, opts)
}
