package presence

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// PageParams pick one page of a user's subscriptions.
type PageParams struct {
	// Page counts from 1; 0 means 1.
	Page int
	// PageSize is 1 to 100; 0 means 100. (The server's default is 1.)
	PageSize int
}

func (p PageParams) query(op string) (url.Values, error) {
	page, size := max(p.Page, 1), p.PageSize
	if size == 0 {
		size = MaxPageSize
	}
	if p.Page < 0 {
		return nil, core.Invalid(op, "Page", "%d; pages count from 1", p.Page)
	}
	if size < 1 || size > MaxPageSize {
		return nil, core.Invalid(op, "PageSize", "%d, allowed 1 to %d", size, MaxPageSize)
	}
	return url.Values{"pageNum": {strconv.Itoa(page)}, "pageSize": {strconv.Itoa(size)}}, nil
}

// Subscriptions returns one page of the users a user subscribes to
// (查询订阅列表), with the total over all pages.
//
//meta:operation GET /users/{username}/presence/sublist (presence.ListSubscriptions)
func (s *Service) Subscriptions(ctx context.Context, username string, p PageParams, opts ...option.Call) (*SubscriptionPage, error) {
	op := catalog.PresenceListSubscriptions
	q, err := p.query(op.ID)
	if err != nil {
		return nil, err
	}
	page, err := result[SubscriptionPage](ctx, s.c, &core.Request{Op: op, Path: core.P("username", username), Query: q, Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// AllSubscriptions walks a user's subscriptions from page p.Page on, page
// after page, each page paying its quota. It stops after the page that
// reaches the total, at an empty or short page, or at the first error.
func (s *Service) AllSubscriptions(ctx context.Context, username string, p PageParams, opts ...option.Call) iter.Seq2[Subscription, error] {
	first := max(p.Page, 1)
	return core.PagesToLast(ctx, first, func(ctx context.Context, page int) ([]Subscription, bool, error) {
		q := p
		q.Page = page
		got, err := s.Subscriptions(ctx, username, q, opts...)
		if err != nil {
			return nil, false, err
		}
		size := q.PageSize
		if size == 0 {
			size = MaxPageSize
		}
		seen := (page-1)*size + len(got.Subscriptions)
		return got.Subscriptions, len(got.Subscriptions) < size || seen >= got.Total, nil
	})
}

// GroupOnlineCount returns how many members of a group are connected
// (查询单个群组的在线成员数量); custom statuses do not count. kind is
// ChatGroup, or CommunityServer for a super-community server. The service
// is enabled separately from presence.
//
//meta:operation GET /presence/online/{group_id}/type/{query_type} (presence.GetGroupOnlineCount)
func (s *Service) GroupOnlineCount(ctx context.Context, groupID string, kind GroupKind, opts ...option.Call) (int, error) {
	n, err := result[core.Int64](ctx, s.c, &core.Request{
		Op:   catalog.PresenceGetGroupOnlineCount,
		Path: core.P("group_id", groupID, "query_type", string(kind)), Opts: option.Resolve(opts...),
	})
	return int(n), err
}
