package users

import (
	"context"
	"iter"
	"net/url"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// BlockListParams page through a blocklist, newest first. With neither
// field set the server answers the latest 500 in one page.
type BlockListParams struct {
	// PageSize is 1 to 50.
	PageSize int
	// Cursor continues from a previous page.
	Cursor string
}

func (p BlockListParams) query() url.Values { return pageQuery("pageSize", p.PageSize, p.Cursor) }

// BlockPage is one page of a blocklist.
type BlockPage struct {
	Usernames []string
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}

// Blocked returns one page of the users owner has blocked (获取黑名单列表).
//
//meta:operation GET /users/{owner_username}/blocks/users (blocks.List)
func (s *Service) Blocked(ctx context.Context, owner string, p BlockListParams, opts ...option.Call) (*BlockPage, error) {
	r, err := userRequest(catalog.BlocksList, owner, opts)
	if err != nil {
		return nil, err
	}
	r.Query = p.query()
	var out blockAnswer
	if err := s.answer(ctx, r, &out); err != nil {
		return nil, err
	}
	return &BlockPage{Usernames: *out.Data, Cursor: out.Cursor}, nil
}

type blockAnswer struct {
	Data   *[]string `json:"data"`
	Cursor string    `json:"cursor"`
}

func (a *blockAnswer) missing() string { return when(a.Data == nil, "data") }

// AllBlocked walks owner's blocklist from p.Cursor on, page after page,
// each page paying its quota, until the last page or the first error. A
// zero PageSize asks for pages of 50.
func (s *Service) AllBlocked(ctx context.Context, owner string, p BlockListParams, opts ...option.Call) iter.Seq2[string, error] {
	if p.PageSize == 0 {
		p.PageSize = catalog.BlocksList.MaxItems("pageSize") // without it, one page of 500 and no cursor
	}
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]string, string, error) {
		q := p
		q.Cursor = cursor
		page, err := s.Blocked(ctx, owner, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Usernames, page.Cursor, nil
	})
}

// Block adds users to owner's blocklist (添加用户至黑名单): they can no
// longer message owner; friends stay friends. A blocklist holds at most
// 500 users. The result has one item per name in input order; a name the
// answer leaves out is reported failed. The docs give no per-call cap, so
// the names go in one call.
//
//meta:operation POST /users/{owner_username}/blocks/users (blocks.Add)
func (s *Service) Block(ctx context.Context, owner string, names []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.BlocksAdd
	if err := checkUsername(op.ID, "owner", owner); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "usernames", Field: "names",
		Key:   core.FoldKey,
		Check: func(u string) error { return checkUsername(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("owner_username", owner), Body: map[string][]string{"usernames": chunk}, Opts: set}
			added, err := core.Data[[]string](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			by := make(map[string]core.Outcome[struct{}], len(added))
			for _, n := range added {
				by[core.FoldKey(n)] = core.Accepted(struct{}{})
			}
			return outcomes(chunk, by), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, names)
}

// Unblock removes a user from owner's blocklist (从黑名单移除用户) and
// returns that user.
//
//meta:operation DELETE /users/{owner_username}/blocks/users/{blocked_username} (blocks.Remove)
func (s *Service) Unblock(ctx context.Context, owner, blocked string, opts ...option.Call) (*User, error) {
	return s.pair(ctx, catalog.BlocksRemove, owner, "blocked_username", blocked, opts)
}

// CheckBlocked tells, for each name, whether owner has blocked it (校验黑名单),
// split into calls of at most 100. The result has one item per name in
// input order, its Value true for a blocked user.
//
//meta:operation POST /blocks/check (blocks.Check)
func (s *Service) CheckBlocked(ctx context.Context, owner string, names []string, opts ...option.Call) (*batch.Result[string, bool], error) {
	return s.checkRelation(ctx, catalog.BlocksCheck, owner, names, "blacklist", "not_blacklist", opts)
}
