package messages

import (
	"context"
	"encoding/json"
	"iter"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Documented bounds of message search.
const (
	MaxSearchKeywords      = 5
	MaxSearchKeywordChars  = 120 // one keyword, and all of them together
	MaxSearchConversations = 20
	MaxSearchPageSize      = 100
	MaxSearchResults       = 10000 // page × size
	MaxSearchSpan          = 90 * 24 * time.Hour
	maxSearchIDChars       = 512
	maxSearchTagChars      = 32
)

// Pair is a one-to-one conversation to search, named by its two users;
// one of them must be the searching user.
type Pair struct {
	User1 string `json:"userId1"`
	User2 string `json:"userId2"`
}

// Highlight asks for the matches to be marked in the results.
type Highlight struct {
	// FragmentSize is a fragment's length in characters (1 to 10000; 0:
	// the server's 150).
	FragmentSize int
	// Fragments is how many fragments to return (0 to 100, nil: 3; 0
	// returns the whole field).
	Fragments *int
	// PreTag and PostTag mark a match (1 to 32 characters; "": <em>, </em>).
	PreTag, PostTag string
}

// SearchQuery is a message search.
type SearchQuery struct {
	// Keywords are 1 to 5 words (one sends keyword, more keywords), each
	// and all together at most 120 characters.
	Keywords []string
	// MatchAll requires every keyword (keywordMatch all) instead of any.
	MatchAll bool
	// ConversationTypes limits the search to these types.
	ConversationTypes []ChatType
	// Pairs, Groups and Chatrooms name the conversations to search, at
	// most 20 together; group and chatroom messages are searched only when
	// named.
	Pairs     []Pair
	Groups    []string
	Chatrooms []string
	// ContentTypes limits the message types: text, image, video, file,
	// location, combine.
	ContentTypes []string
	// Start and End bound the send time, both or neither, at most 90 days apart.
	Start, End time.Time
	// Sort is relevance:desc (""), sentTime:desc or sentTime:asc.
	Sort string
	// Page counts from 1 (0: the first); Size is 1 to 100 (0: the server's 20).
	Page, Size int
	// Mode is default (""), exact, phrase or fuzzy.
	Mode string
	// Ext is none (""), with or only: whether ext is searched too.
	Ext string
	// Highlight, when set, marks the matches.
	Highlight *Highlight
}

// searchData is the documented data object of a search.
type searchData struct {
	Keyword          string   `json:"keyword,omitempty"`
	Keywords         []string `json:"keywords,omitempty"`
	KeywordMatch     string   `json:"keywordMatch,omitempty"`
	ConversationType string   `json:"conversationType,omitempty"`
	Pairs            []Pair   `json:"participantPairs,omitempty"`
	Groups           []string `json:"groupIds,omitempty"`
	Chatrooms        []string `json:"chatroomIds,omitempty"`
	ContentType      string   `json:"contentType,omitempty"`
	Start            int64    `json:"startTime,omitempty"`
	End              int64    `json:"endTime,omitempty"`
	Sort             string   `json:"sort,omitempty"`
	Page             int      `json:"page,omitempty"`
	Size             int      `json:"size,omitempty"`
	Mode             string   `json:"searchMode,omitempty"`
	Ext              string   `json:"searchExt,omitempty"`
	HighlightEnable  bool     `json:"highlightEnable,omitempty"`
	FragmentSize     int      `json:"highlightFragmentSize,omitempty"`
	Fragments        *int     `json:"highlightNumberOfFragments,omitempty"`
	PreTag           string   `json:"highlightPreTags,omitempty"`
	PostTag          string   `json:"highlightPostTags,omitempty"`
}

// SearchHit is one message a search found.
type SearchHit struct {
	MessageID        string
	AppKey           string
	ConversationType ChatType
	ContentType      string
	Sent             time.Time
	Sender, Receiver string
	// Content is the message's content, shaped by ContentType (text:
	// {"message": ...}; image, video, file: filename, url, ...).
	Content json.RawMessage
	Ext     json.RawMessage
	// Translations are the message's automatic translations.
	Translations []Translation
	// Highlight maps a matched field (e.g. content.message) to its marked fragments.
	Highlight map[string][]string
	// Relevance is the score of a relevance sort.
	Relevance float64
	// Extra holds every other field.
	Extra map[string]json.RawMessage
}

var hitFields = []string{"messageId", "appKey", "conversationType", "contentType", "sentTime", "senderId",
	"receiverId", "content", "ext", "translations", "highlight", "relevanceScore"}

// UnmarshalJSON reads the documented fields; messageId, a number above
// 2^53, is kept exactly.
func (h *SearchHit) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*h = SearchHit{
		MessageID: o.String("messageId"), AppKey: o.String("appKey"),
		ConversationType: ChatType(o.String("conversationType")), ContentType: o.String("contentType"),
		Sent: o.Millis("sentTime"), Sender: o.String("senderId"), Receiver: o.String("receiverId"),
		Content: o["content"], Ext: o["ext"],
	}
	var tr []struct {
		Code string `json:"code"`
		Text string `json:"text"`
	}
	if raw := o["translations"]; raw != nil {
		if err := json.Unmarshal(raw, &tr); err != nil {
			return err
		}
		for _, t := range tr {
			h.Translations = append(h.Translations, Translation{To: t.Code, Text: t.Text})
		}
	}
	if raw := o["highlight"]; raw != nil {
		if err := json.Unmarshal(raw, &h.Highlight); err != nil {
			return err
		}
	}
	if raw := o["relevanceScore"]; raw != nil {
		if err := json.Unmarshal(raw, &h.Relevance); err != nil {
			return err
		}
	}
	h.Extra = o.Rest(hitFields...)
	return nil
}

// SearchPage is one page of search results.
type SearchPage struct {
	Hits []SearchHit
	// Page is this page's number, TotalPages the count (-1: unknown).
	Page, TotalPages, Count int
	// Last reports the last page (isFinished 1).
	Last bool
	// RequestID and Time are the answer's meta.
	RequestID string
	Time      time.Time
}

type searchAnswer struct {
	Data *struct {
		List       []SearchHit `json:"list"`
		Pagination struct {
			TotalPages int        `json:"totalPages"`
			Page       int        `json:"page"`
			Count      int        `json:"count"`
			IsFinished core.Int64 `json:"isFinished"`
		} `json:"pagination"`
	} `json:"data"`
	Meta struct {
		Timestamp core.Int64 `json:"timestamp"`
		RequestID string     `json:"requestId"`
	} `json:"meta"`
}

// Search searches the server's message history of a user (搜索消息): only
// conversations the user takes part in. Search is a value-added service
// of the China 2 cluster; over its rate the server answers 429 with a
// suggested wait, which the SDK waits out before resending.
//
//meta:operation POST /users/{username}/messages/search/get (messages.Search)
func (s *Service) Search(ctx context.Context, username string, q SearchQuery, opts ...option.Call) (*SearchPage, error) {
	op := catalog.MessagesSearch
	if err := checkUser(op.ID, "username", username); err != nil {
		return nil, err
	}
	data, err := q.wire(op.ID, username)
	if err != nil {
		return nil, err
	}
	var out searchAnswer
	r := &core.Request{Op: op, Path: core.P("username", username), Body: map[string]any{"data": data},
		Result: &out, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data in the answer"}
	}
	p := out.Data.Pagination
	return &SearchPage{
		Hits: out.Data.List, Page: p.Page, TotalPages: p.TotalPages, Count: p.Count, Last: p.IsFinished == 1,
		RequestID: out.Meta.RequestID, Time: time.UnixMilli(int64(out.Meta.Timestamp)),
	}, nil
}

// SearchAll walks every hit of q from q.Page on, page after page, each
// paying its quota, until the last page or the documented 10000 results.
func (s *Service) SearchAll(ctx context.Context, username string, q SearchQuery, opts ...option.Call) iter.Seq2[SearchHit, error] {
	size := q.Size
	if size == 0 {
		size = 20 // the server's default
	}
	return core.PagesToLast(ctx, max(q.Page, 1), func(ctx context.Context, page int) ([]SearchHit, bool, error) {
		p := q
		p.Page, p.Size = page, size
		res, err := s.Search(ctx, username, p, opts...)
		if err != nil {
			return nil, false, err
		}
		return res.Hits, res.Last || (page+1)*size > MaxSearchResults, nil
	})
}

// wire checks q against the documented rules and encodes it.
func (q SearchQuery) wire(op, username string) (*searchData, error) {
	d := &searchData{Sort: q.Sort, Page: q.Page, Size: q.Size, Mode: q.Mode, Ext: q.Ext,
		Pairs: q.Pairs, Groups: q.Groups, Chatrooms: q.Chatrooms, ContentType: strings.Join(q.ContentTypes, ",")}
	if err := checkKeywords(op, q.Keywords); err != nil {
		return nil, err
	}
	if len(q.Keywords) == 1 {
		d.Keyword = q.Keywords[0]
	} else {
		d.Keywords = q.Keywords
		if q.MatchAll {
			d.KeywordMatch = "all"
		}
	}
	types := make([]string, len(q.ConversationTypes))
	for i, t := range q.ConversationTypes {
		if err := checkChatType(op, "ConversationTypes", t, Chat, GroupChat, Chatroom); err != nil {
			return nil, err
		}
		types[i] = string(t)
	}
	d.ConversationType = strings.Join(types, ",")
	if err := checkConversations(op, username, q); err != nil {
		return nil, err
	}
	if q.Start.IsZero() != q.End.IsZero() {
		return nil, core.Invalid(op, "Start", "Start and End go together")
	}
	if !q.Start.IsZero() {
		if q.End.Before(q.Start) || q.End.Sub(q.Start) > MaxSearchSpan {
			return nil, core.Invalid(op, "End", "must be from Start to 90 days after it")
		}
		d.Start, d.End = q.Start.UnixMilli(), q.End.UnixMilli()
	}
	switch {
	case q.Page < 0:
		return nil, core.Invalid(op, "Page", "%d is below 1", q.Page)
	case q.Size < 0 || q.Size > MaxSearchPageSize:
		return nil, core.Invalid(op, "Size", "%d is not 1 to %d", q.Size, MaxSearchPageSize)
	case max(q.Page, 1)*max(q.Size, 20) > MaxSearchResults:
		return nil, core.Invalid(op, "Page", "page × size is above %d", MaxSearchResults)
	}
	if h := q.Highlight; h != nil {
		if err := h.check(op); err != nil {
			return nil, err
		}
		d.HighlightEnable, d.FragmentSize, d.Fragments, d.PreTag, d.PostTag = true, h.FragmentSize, h.Fragments, h.PreTag, h.PostTag
	}
	return d, nil
}

func checkKeywords(op string, words []string) error {
	if len(words) == 0 {
		return core.Invalid(op, "Keywords", "at least one keyword")
	}
	seen, total := map[string]bool{}, 0
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		if strings.TrimSpace(w) == "" || n > MaxSearchKeywordChars {
			return core.Invalid(op, "Keywords", "%q is not 1 to %d characters of more than spaces", w, MaxSearchKeywordChars)
		}
		if !seen[w] {
			seen[w] = true
			total += n
		}
	}
	if len(seen) > MaxSearchKeywords || total > MaxSearchKeywordChars {
		return core.Invalid(op, "Keywords", "%d distinct keywords of %d characters, at most %d of %d allowed",
			len(seen), total, MaxSearchKeywords, MaxSearchKeywordChars)
	}
	return nil
}

func checkConversations(op, username string, q SearchQuery) error {
	if n := len(q.Pairs) + len(q.Groups) + len(q.Chatrooms); n > MaxSearchConversations {
		return core.Invalid(op, "Pairs", "%d conversations, at most %d allowed", n, MaxSearchConversations)
	}
	for _, p := range q.Pairs {
		if !strings.EqualFold(p.User1, username) && !strings.EqualFold(p.User2, username) {
			return core.Invalid(op, "Pairs", "pair %s/%s does not include %s", p.User1, p.User2, username)
		}
		for _, id := range []string{p.User1, p.User2} {
			if err := searchID(op, "Pairs", id); err != nil {
				return err
			}
		}
	}
	for _, id := range append(append([]string(nil), q.Groups...), q.Chatrooms...) {
		if err := searchID(op, "Groups", id); err != nil {
			return err
		}
	}
	return nil
}

func searchID(op, field, id string) error {
	if n := utf8.RuneCountInString(id); n < 1 || n > maxSearchIDChars {
		return core.Invalid(op, field, "%q is not 1 to %d characters", id, maxSearchIDChars)
	}
	return nil
}

func (h *Highlight) check(op string) error {
	switch {
	case h.FragmentSize < 0 || h.FragmentSize > 10000:
		return core.Invalid(op, "Highlight.FragmentSize", "%d is not 1 to 10000", h.FragmentSize)
	case h.Fragments != nil && (*h.Fragments < 0 || *h.Fragments > 100):
		return core.Invalid(op, "Highlight.Fragments", "%d is not 0 to 100", *h.Fragments)
	case utf8.RuneCountInString(h.PreTag) > maxSearchTagChars || utf8.RuneCountInString(h.PostTag) > maxSearchTagChars:
		return core.Invalid(op, "Highlight.PreTag", "tags are at most %d characters", maxSearchTagChars)
	}
	return nil
}
