package threads

import (
	"context"
	"iter"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// Members returns one page of a thread's members (获取子区成员列表).
//
//meta:operation GET /thread/{thread_id}/users (threads.ListMembers)
func (s *Service) Members(ctx context.Context, threadID string, p MemberParams, opts ...option.Call) (*MemberPage, error) {
	op := catalog.ThreadsListMembers
	// The examples put affiliations in data; the doc-v2 table at the top
	// level: both are read.
	var out struct {
		Data *struct {
			Affiliations []string `json:"affiliations"`
		} `json:"data"`
		Affiliations *[]string  `json:"affiliations"`
		Properties   properties `json:"properties"`
	}
	r := &core.Request{Op: op, Path: core.P("thread_id", threadID), Query: pageQuery(p.Limit, p.Cursor), Result: &out, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	page := &MemberPage{Cursor: out.Properties.Cursor}
	switch {
	case out.Data != nil:
		page.Usernames = out.Data.Affiliations
	case out.Affiliations != nil:
		page.Usernames = *out.Affiliations
	default:
		return nil, missing(op, "affiliations")
	}
	return page, nil
}

// AllMembers walks a thread's members from p.Cursor on, page after page,
// each page paying its quota. It stops at the last page, at a cursor seen
// before, or at the first error.
func (s *Service) AllMembers(ctx context.Context, threadID string, p MemberParams, opts ...option.Call) iter.Seq2[string, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]string, string, error) {
		q := p
		q.Cursor = cursor
		page, err := s.Members(ctx, threadID, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Usernames, page.Cursor, nil
	})
}

// AddMembers adds users to a thread (用户批量加入子区), split into calls of
// at most 10 users. The server confirms each call as a whole, so every
// user of a confirmed call is done.
//
//meta:operation POST /thread/{thread_id}/users (threads.AddMembers)
func (s *Service) AddMembers(ctx context.Context, threadID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.ThreadsAddMembers
	return s.members(ctx, op, threadID, usernames, opts, func(ctx context.Context, r *core.Request, chunk []string) ([]core.Outcome[struct{}], error) {
		if err := statusOK(ctx, s.c, r); err != nil {
			return nil, err
		}
		out := make([]core.Outcome[struct{}], len(chunk))
		for i := range out {
			out[i] = core.Accepted(struct{}{})
		}
		return out, nil
	})
}

// memberResult is one user's result in a removal answer.
type memberResult struct {
	Result core.Bool `json:"result"`
	User   string    `json:"user"`
}

// RemoveMembers removes users from a thread (批量踢出子区成员), split into
// calls of at most 10 users. The server answers per user: a user it did
// not remove (a false result) is reported failed.
//
//meta:operation DELETE /thread/{thread_id}/users (threads.RemoveMembers)
func (s *Service) RemoveMembers(ctx context.Context, threadID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.ThreadsRemoveMembers
	return s.members(ctx, op, threadID, usernames, opts, func(ctx context.Context, r *core.Request, chunk []string) ([]core.Outcome[struct{}], error) {
		results, _, err := core.Entities[memberResult](ctx, s.c, r)
		if err != nil {
			return nil, err
		}
		byUser := make(map[string]bool, len(results))
		for _, res := range results {
			byUser[core.FoldKey(res.User)] = bool(res.Result)
		}
		out := make([]core.Outcome[struct{}], len(chunk))
		for i, u := range chunk {
			removed, ok := byUser[core.FoldKey(u)]
			switch {
			case !ok:
				out[i] = core.Refused[struct{}](core.Omitted)
			case !removed:
				out[i] = core.Refused[struct{}]("not removed: the server's result is false")
			default:
				out[i] = core.Accepted(struct{}{})
			}
		}
		return out, nil
	})
}

// members runs a member batch on a thread; answer reads one call's answer.
func (s *Service) members(ctx context.Context, op *catalog.Op, threadID string, usernames []string, opts []option.Call,
	answer func(context.Context, *core.Request, []string) ([]core.Outcome[struct{}], error)) (*batch.Result[string, struct{}], error) {
	if err := rules.PathValue("thread_id", threadID); err != nil {
		return nil, core.Invalid(op.ID, "thread_id", "%v", err)
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error {
			if err := rules.Username(u); err != nil {
				return core.Invalid(op.ID, "username", "%v", err)
			}
			return nil
		},
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("thread_id", threadID), Body: map[string][]string{"usernames": chunk}, Opts: set}
			out, err := answer(ctx, r, chunk)
			return out, r, err
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}
