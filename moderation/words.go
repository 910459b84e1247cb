package moderation

import (
	"context"
	"iter"
	"net/url"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// WordQuery picks keywords of a list by substring.
type WordQuery struct {
	// Word is matched as a substring: "message" also finds "messageid".
	Word string `json:"word"`
	// Page counts from 0.
	Page int `json:"page,omitempty"`
	// Size is 1 to 200; 0 means the server default (10).
	Size int `json:"size,omitempty"`
}

// AddWords adds at most 100 words to a keyword list (添加关键词) and
// returns the list with its words. A word the list has already fails the
// whole call.
//
//meta:operation POST /moderation/text/list/{list_id}/word/batch (moderation.AddWords)
func (s *Service) AddWords(ctx context.Context, listID, userID string, words []string, opts ...option.Call) (*KeywordList, error) {
	op := catalog.ModerationAddWords
	if len(words) == 0 {
		return nil, core.Invalid(op.ID, "words", "empty")
	}
	if err := checkWords(op.ID, "words", words); err != nil {
		return nil, err
	}
	body := struct {
		Words  []string `json:"wordContents"`
		UserID string   `json:"userId"`
	}{words, userID}
	return s.list(ctx, &core.Request{Op: op, Path: core.P("list_id", listID), Body: body, Opts: option.Resolve(opts...)})
}

// UpdateWord changes one word of a keyword list (修改关键词).
//
//meta:operation PUT /moderation/text/list/{list_id}/word (moderation.UpdateWord)
func (s *Service) UpdateWord(ctx context.Context, listID, wordID, word, userID string, opts ...option.Call) (*Keyword, error) {
	op := catalog.ModerationUpdateWord
	if err := checkID(op.ID, "wordID", wordID); err != nil {
		return nil, err
	}
	if err := checkWords(op.ID, "word", []string{word}); err != nil {
		return nil, err
	}
	body := map[string]string{"id": wordID, "word": word, "userId": userID}
	k, err := entity[Keyword](ctx, s.c, &core.Request{Op: op, Path: core.P("list_id", listID), Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// SearchWords returns one page of the words of a list that contain
// q.Word (查询关键词).
//
//meta:operation POST /moderation/text/list/{list_id}/word (moderation.SearchWords)
func (s *Service) SearchWords(ctx context.Context, listID string, q WordQuery, opts ...option.Call) (*WordPage, error) {
	op := catalog.ModerationSearchWords
	if q.Page < 0 {
		return nil, core.Invalid(op.ID, "Page", "%d; pages count from 0", q.Page)
	}
	words, p, err := entities[Keyword](ctx, s.c, &core.Request{Op: op, Path: core.P("list_id", listID), Body: q, Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &WordPage{Words: words, Paging: p}, nil
}

// AllWords walks the words SearchWords finds from page q.Page on, as
// AllLists does.
func (s *Service) AllWords(ctx context.Context, listID string, q WordQuery, opts ...option.Call) iter.Seq2[Keyword, error] {
	return core.PagesToLast(ctx, q.Page, func(ctx context.Context, page int) ([]Keyword, bool, error) {
		p := q
		p.Page = page
		got, err := s.SearchWords(ctx, listID, p, opts...)
		if err != nil {
			return nil, false, err
		}
		return got.Words, got.Last, nil
	})
}

// DeleteWord deletes one word of a list (删除单个关键词) and reports
// whether the server did.
//
//meta:operation DELETE /moderation/text/list/{list_id}/word (moderation.DeleteWord)
func (s *Service) DeleteWord(ctx context.Context, listID, wordID string, opts ...option.Call) (bool, error) {
	op := catalog.ModerationDeleteWord
	if err := checkID(op.ID, "wordID", wordID); err != nil {
		return false, err
	}
	v, err := entity[core.Bool](ctx, s.c, &core.Request{Op: op, Path: core.P("list_id", listID), Query: url.Values{"wordId": {wordID}}, Opts: option.Resolve(opts...)})
	return bool(v), err
}

// DeleteWords deletes at most 100 words of a list (批量删除关键词) and
// reports whether the server did (its entity 0; 1 is a failure).
//
//meta:operation DELETE /moderation/text/list/{list_id}/word/batch (moderation.DeleteWords)
func (s *Service) DeleteWords(ctx context.Context, listID string, wordIDs []string, opts ...option.Call) (bool, error) {
	op := catalog.ModerationDeleteWords
	if len(wordIDs) == 0 {
		return false, core.Invalid(op.ID, "wordIDs", "empty")
	}
	for i, id := range wordIDs {
		if err := checkID(op.ID, "wordIDs", id); err != nil {
			return false, core.Invalid(op.ID, "wordIDs", "id %d is empty", i)
		}
	}
	v, err := entity[core.Int64](ctx, s.c, &core.Request{Op: op, Path: core.P("list_id", listID), Body: map[string][]string{"wordIds": wordIDs}, Opts: option.Resolve(opts...)})
	return v == 0 && err == nil, err
}
