package moderation

import (
	"context"
	"iter"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// NewList is a keyword list to create.
type NewList struct {
	// Name is 1 to 32 characters, unique in the app.
	Name  string `json:"name"`
	Scope Scope  `json:"scope"`
	// TagID is required when Scope is Tagged.
	TagID       string      `json:"tagId,omitempty"`
	Disposition Disposition `json:"disposition"`
	// FullMatch matches whole texts only; the default matches substrings.
	FullMatch bool   `json:"fullMatch"`
	UserID    string `json:"userId,omitempty"`
	// Words are at most 200 of 1 to 128 characters.
	Words []string `json:"textContexts"`
}

// ListChange is the new settings of a keyword list.
type ListChange struct {
	Name        string      `json:"name"`
	Scope       Scope       `json:"scope"`
	TagID       string      `json:"tagId,omitempty"`
	Disposition Disposition `json:"disposition"`
	// FullMatch, when set, changes whether whole texts only match.
	FullMatch *bool  `json:"fullMatch,omitempty"`
	UserID    string `json:"userId,omitempty"`
}

// ListQuery picks keyword lists: by name (one list), by tag, or a page.
type ListQuery struct {
	Name  string `json:"name,omitempty"`
	TagID string `json:"tagId,omitempty"`
	// Size is 1 to 200; 0 means the server default (10).
	Size int `json:"size,omitempty"`
	// Page counts from 0.
	Page int `json:"page,omitempty"`
}

// CreateList creates a keyword list with its first words (创建关键词名单).
// An app holds at most 100 lists of at most 10,000 words each.
//
//meta:operation POST /moderation/text/list (moderation.CreateList)
func (s *Service) CreateList(ctx context.Context, l NewList, opts ...option.Call) (*KeywordList, error) {
	op := catalog.ModerationCreateList
	if err := checkListFields(op.ID, l.Name, l.Scope, l.TagID); err != nil {
		return nil, err
	}
	if err := checkWords(op.ID, "Words", l.Words); err != nil {
		return nil, err
	}
	if l.Words == nil {
		l.Words = []string{} // required, even when empty
	}
	return s.list(ctx, &core.Request{Op: op, Body: l, Opts: option.Resolve(opts...)})
}

// UpdateList changes a keyword list's settings (修改关键词名单) and returns
// the list without its words.
//
//meta:operation PUT /moderation/text/list/{list_id} (moderation.UpdateList)
func (s *Service) UpdateList(ctx context.Context, listID string, ch ListChange, opts ...option.Call) (*KeywordList, error) {
	op := catalog.ModerationUpdateList
	if err := checkListFields(op.ID, ch.Name, ch.Scope, ch.TagID); err != nil {
		return nil, err
	}
	return s.list(ctx, &core.Request{Op: op, Path: core.P("list_id", listID), Body: ch, Opts: option.Resolve(opts...)})
}

// SearchLists returns one page of keyword lists (查询关键词名单列表).
//
//meta:operation POST /moderation/text/list/search (moderation.SearchLists)
func (s *Service) SearchLists(ctx context.Context, q ListQuery, opts ...option.Call) (*ListPage, error) {
	op := catalog.ModerationSearchLists
	if q.Page < 0 {
		return nil, core.Invalid(op.ID, "Page", "%d; pages count from 0", q.Page)
	}
	lists, p, err := entities[KeywordList](ctx, s.c, &core.Request{Op: op, Body: q, Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &ListPage{Lists: lists, Paging: p}, nil
}

// AllLists walks the keyword lists q picks from page q.Page on, page after
// page, each page paying its quota. It stops after the last page, at an
// empty page, or at the first error.
func (s *Service) AllLists(ctx context.Context, q ListQuery, opts ...option.Call) iter.Seq2[KeywordList, error] {
	return core.PagesToLast(ctx, q.Page, func(ctx context.Context, page int) ([]KeywordList, bool, error) {
		p := q
		p.Page = page
		got, err := s.SearchLists(ctx, p, opts...)
		if err != nil {
			return nil, false, err
		}
		return got.Lists, got.Last, nil
	})
}

// DeleteList deletes a keyword list and its words (删除关键词名单).
//
//meta:operation DELETE /moderation/text/list/{list_id} (moderation.DeleteList)
func (s *Service) DeleteList(ctx context.Context, listID string, opts ...option.Call) error {
	return done(ctx, s.c, &core.Request{Op: catalog.ModerationDeleteList, Path: core.P("list_id", listID), Opts: option.Resolve(opts...)})
}

func (s *Service) list(ctx context.Context, r *core.Request) (*KeywordList, error) {
	l, err := entity[KeywordList](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	return &l, nil
}
