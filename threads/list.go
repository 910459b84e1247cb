package threads

import (
	"context"
	"iter"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// properties holds the cursor of a thread list answer.
type properties struct {
	Cursor string `json:"cursor"`
}

// List returns one page of the app's threads, which carry only their ID
// (分页获取 app 中的子区).
//
//meta:operation GET /thread (threads.List)
func (s *Service) List(ctx context.Context, p ListParams, opts ...option.Call) (*Page, error) {
	return s.page(ctx, catalog.ThreadsList, nil, p, opts)
}

// ListByUser returns one page of the threads a user has joined, by join
// time (获取单个用户加入的所有子区).
//
//meta:operation GET /threads/user/{username} (threads.ListByUser)
func (s *Service) ListByUser(ctx context.Context, username string, p ListParams, opts ...option.Call) (*Page, error) {
	return s.page(ctx, catalog.ThreadsListByUser, core.P("username", username), p, opts)
}

// ListByUserInGroup returns one page of the threads a user has joined in
// one group (获取单个用户在指定群组中加入的所有子区).
//
//meta:operation GET /threads/chatgroups/{group_id}/user/{username} (threads.ListByUserInGroup)
func (s *Service) ListByUserInGroup(ctx context.Context, groupID, username string, p ListParams, opts ...option.Call) (*Page, error) {
	return s.page(ctx, catalog.ThreadsListByUserInGroup, core.P("group_id", groupID, "username", username), p, opts)
}

// All walks the app's threads from p.Cursor on, page after page, each page
// paying its quota. It stops at the last page, at a cursor seen before, or
// at the first error.
func (s *Service) All(ctx context.Context, p ListParams, opts ...option.Call) iter.Seq2[Thread, error] {
	return s.walk(ctx, p, func(ctx context.Context, q ListParams) (*Page, error) { return s.List(ctx, q, opts...) })
}

// AllByUser walks the threads a user has joined, as All does.
func (s *Service) AllByUser(ctx context.Context, username string, p ListParams, opts ...option.Call) iter.Seq2[Thread, error] {
	return s.walk(ctx, p, func(ctx context.Context, q ListParams) (*Page, error) {
		return s.ListByUser(ctx, username, q, opts...)
	})
}

// AllByUserInGroup walks the threads a user has joined in a group, as All
// does; the empty page after the last one ends the walk.
func (s *Service) AllByUserInGroup(ctx context.Context, groupID, username string, p ListParams, opts ...option.Call) iter.Seq2[Thread, error] {
	return s.walk(ctx, p, func(ctx context.Context, q ListParams) (*Page, error) {
		return s.ListByUserInGroup(ctx, groupID, username, q, opts...)
	})
}

// walk pages through a thread list with list.
func (s *Service) walk(ctx context.Context, p ListParams, list func(context.Context, ListParams) (*Page, error)) iter.Seq2[Thread, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]Thread, string, error) {
		q := p // each page gets its own copy of the caller's params
		q.Cursor = cursor
		page, err := list(ctx, q)
		if err != nil {
			return nil, "", err
		}
		return page.Threads, page.Cursor, nil
	})
}

// page runs a thread list call.
func (s *Service) page(ctx context.Context, op *catalog.Op, path core.Path, p ListParams, opts []option.Call) (*Page, error) {
	var out struct {
		Entities   *[]Thread  `json:"entities"`
		Properties properties `json:"properties"`
	}
	r := &core.Request{Op: op, Path: path, Query: p.query(), Result: &out, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if out.Entities == nil {
		return nil, missing(op, "entities")
	}
	return &Page{Threads: *out.Entities, Cursor: out.Properties.Cursor}, nil
}
