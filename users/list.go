package users

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// ListParams page through the users of the app, oldest first.
type ListParams struct {
	// Limit is the page size, 1 to 100; 0 means the server default (10).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
}

func (p ListParams) query() url.Values { return pageQuery("limit", p.Limit, p.Cursor) }

// pageQuery is a cursor-paged list's query: the page size under its
// parameter's name and the cursor, each left out when zero.
func pageQuery(sizeParam string, size int, cursor string) url.Values {
	q := url.Values{}
	if size != 0 {
		q.Set(sizeParam, strconv.Itoa(size))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return q
}

// Page is one page of a list.
type Page struct {
	Users []User
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}

// List returns one page of users (批量获取用户).
//
//meta:operation GET /users (users.List)
func (s *Service) List(ctx context.Context, p ListParams, opts ...option.Call) (*Page, error) {
	return s.page(ctx, catalog.UsersList, p, opts)
}

// All walks every user from p.Cursor on, page after page, each page paying
// its quota. It stops at the last page, at a cursor seen before, or at the
// first error.
func (s *Service) All(ctx context.Context, p ListParams, opts ...option.Call) iter.Seq2[User, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]User, string, error) {
		q := p // each page gets its own copy of the caller's params
		q.Cursor = cursor
		page, err := s.List(ctx, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Users, page.Cursor, nil
	})
}

// DeleteBatch deletes the p.Limit earliest-created users from p.Cursor on
// (批量删除用户). The API takes no list of names: use it to clean up test
// data. It returns the deleted users and the cursor of what follows.
//
//meta:operation DELETE /users (users.DeleteBatch)
func (s *Service) DeleteBatch(ctx context.Context, p ListParams, opts ...option.Call) (*Page, error) {
	return s.page(ctx, catalog.UsersDeleteBatch, p, opts)
}

// page runs a paged call (list or batch delete) and returns its page.
func (s *Service) page(ctx context.Context, op *catalog.Op, p ListParams, opts []option.Call) (*Page, error) {
	users, cursor, err := core.Entities[User](ctx, s.c, &core.Request{Op: op, Query: p.query(), Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &Page{Users: users, Cursor: cursor}, nil
}
