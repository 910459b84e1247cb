package groups

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// ListParams page through the app's groups, newest first.
type ListParams struct {
	// Limit is the page size, 1 to 1000; 0 means the server default (10).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
}

// Page is one page of the app's groups.
type Page struct {
	Groups []Group
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}

// List returns one page of the app's groups (分页获取 App 中的群组).
//
//meta:operation GET /chatgroups (groups.List)
func (s *Service) List(ctx context.Context, p ListParams, opts ...option.Call) (*Page, error) {
	q := url.Values{}
	if p.Limit != 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	var env struct {
		Data   *[]Group `json:"data"`
		Cursor string   `json:"cursor"`
	}
	r := &core.Request{Op: catalog.GroupsList, Query: q, Result: &env, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no data in the answer"}
	}
	return &Page{Groups: *env.Data, Cursor: env.Cursor}, nil
}

// All walks every group of the app from p.Cursor on, page after page, each
// page paying its quota. It stops at the last page, at a cursor seen
// before, or at the first error.
func (s *Service) All(ctx context.Context, p ListParams, opts ...option.Call) iter.Seq2[Group, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]Group, string, error) {
		q := p
		q.Cursor = cursor
		page, err := s.List(ctx, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Groups, page.Cursor, nil
	})
}

// JoinedParams page through the groups a user joined. The current list
// (ListJoined) numbers pages from 0 and takes 1 to 20 a page (default 5);
// the legacy one (ListJoinedLegacy) numbers them from 1 and takes 1 to
// 100 (default 10).
type JoinedParams struct {
	PageNum  int
	PageSize int
}

// Default page sizes of the page-numbered lists.
const (
	defaultJoinedPage  = 5
	defaultMembersPage = 1000
	defaultFilesPage   = 1000
)

// JoinedPage is one page of the groups a user joined.
type JoinedPage struct {
	Groups []JoinedGroup
	// Total counts all the groups the user joined.
	Total int
}

// ListJoined returns one page of the groups a user joined
// (获取单个用户加入的所有群组).
//
//meta:operation GET /chatgroups/user/{username} (groups.ListJoinedByUser)
func (s *Service) ListJoined(ctx context.Context, username string, p JoinedParams, opts ...option.Call) (*JoinedPage, error) {
	var env struct {
		Entities *[]JoinedGroup `json:"entities"`
		Total    core.Int64     `json:"total"`
	}
	r := &core.Request{Op: catalog.GroupsListJoinedByUser, Path: core.P("username", username),
		Query: pageQuery(p.PageNum, p.PageSize), Result: &env, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if env.Entities == nil {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no entities in the answer"}
	}
	return &JoinedPage{Groups: *env.Entities, Total: int(env.Total)}, nil
}

// AllJoined walks every group a user joined from page p.PageNum on.
func (s *Service) AllJoined(ctx context.Context, username string, p JoinedParams, opts ...option.Call) iter.Seq2[JoinedGroup, error] {
	return numbered(ctx, p.PageNum, p.PageSize, defaultJoinedPage, func(g JoinedGroup) string { return g.ID },
		func(ctx context.Context, num int) ([]JoinedGroup, error) {
			page, err := s.ListJoined(ctx, username, JoinedParams{PageNum: num, PageSize: p.PageSize}, opts...)
			if err != nil {
				return nil, err
			}
			return page.Groups, nil
		})
}

// ListJoinedLegacy returns one page of the groups a user joined through the
// older path (获取用户加入的群组 (旧版)): ids and names only. Without
// params the server answers the newest 500 by join time.
//
//meta:operation GET /users/{username}/joined_chatgroups (groups.ListJoinedByUserLegacy)
func (s *Service) ListJoinedLegacy(ctx context.Context, username string, p JoinedParams, opts ...option.Call) ([]GroupRef, error) {
	r := &core.Request{Op: catalog.GroupsListJoinedByUserLegacy, Path: core.P("username", username),
		Query: pageQuery(p.PageNum, p.PageSize), Opts: option.Resolve(opts...)}
	return core.Data[[]GroupRef](ctx, s.c, r)
}

// IsMember reports whether a user is in a group (查看指定用户是否已加入群组).
//
//meta:operation GET /chatgroups/{group_id}/user/{username}/is_joined (groups.IsMember)
func (s *Service) IsMember(ctx context.Context, groupID, username string, opts ...option.Call) (bool, error) {
	v, err := core.Data[core.Bool](ctx, s.c, groupRequest(catalog.GroupsIsMember, groupID, opts, "username", username))
	return bool(v), err
}

// Get returns the details of groups (获取群组详情), split into calls of at
// most 100 ids. The result has one item per id in input order; a group the
// answer leaves out (one that does not exist) is reported failed, and a
// call whose every group is missing fails its ids with the server's 404.
//
//meta:operation GET /chatgroups/{group_ids} (groups.Get)
func (s *Service) Get(ctx context.Context, groupIDs []string, opts ...option.Call) (*batch.Result[string, Details], error) {
	op := catalog.GroupsGet
	set := option.Resolve(opts...)
	b := core.Batch[string, Details]{
		Op: op, Cap: "group_ids", Field: "groupIDs",
		Key:   identity,
		Check: func(id string) error { return checkGroupID(op.ID, id) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Details], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("group_ids", joinNames(chunk)), Opts: set}
			groups, err := core.Data[[]Details](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			found := make(map[string]core.Outcome[Details], len(groups))
			for _, g := range groups {
				found[g.ID] = core.Accepted(g)
			}
			return core.ByKey(chunk, identity, found, core.Omitted), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, groupIDs)
}

// identity is the key of a group ID: they are case-sensitive.
func identity(id string) string { return id }
