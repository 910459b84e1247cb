package users

import (
	"context"
	"crypto/rand"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Favorite is a saved item of a user (收藏): a chat message or any content,
// kept for good.
type Favorite struct {
	ID string
	// Type is the caller's own classification.
	Type int
	Data string
	Ext  string
	// Created and Updated are when it was saved and last changed.
	Created, Updated time.Time
}

// UnmarshalJSON reads the times (milliseconds) and type loosely.
func (f *Favorite) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	typ, _ := o.Int64("type")
	*f = Favorite{ID: o.String("id"), Type: int(typ), Data: o.String("data"), Ext: o.String("ext"),
		Created: o.Millis("createdAt"), Updated: o.Millis("updatedAt")}
	return nil
}

// NewFavorite is a favorite to add.
type NewFavorite struct {
	// ID is optional: the server picks a UUID for AddFavorite, and
	// AddFavorites, whose op requires one, fills it in.
	ID   string `json:"id,omitempty"`
	Type int    `json:"type"`
	// Data is 1 to 20480 characters.
	Data string `json:"data"`
	// Ext is at most 1024 characters.
	Ext string `json:"ext,omitempty"`
	// Created is for AddFavorites, whose op requires it; zero means now.
	Created time.Time `json:"-"`
}

// Documented bounds of a favorite.
const (
	maxFavoriteData = 20480
	maxFavoriteExt  = 1024
)

func (f NewFavorite) check(op string) error {
	if n := utf8.RuneCountInString(f.Data); n == 0 || n > maxFavoriteData {
		return core.Invalid(op, "Data", "%d characters, 1 to %d allowed", n, maxFavoriteData)
	}
	return checkExt(op, f.Ext)
}

func checkExt(op, ext string) error {
	if n := utf8.RuneCountInString(ext); n > maxFavoriteExt {
		return core.Invalid(op, "Ext", "%d characters, at most %d allowed", n, maxFavoriteExt)
	}
	return nil
}

// Direction orders a favorite list by creation time.
type Direction string

// Directions of a favorite list.
const (
	Newest Direction = "desc" // the default
	Oldest Direction = "asc"
)

// FavoriteListParams select and page a user's favorites.
type FavoriteListParams struct {
	// Begin and End bound the creation time (zero: from the start, to now).
	Begin, End time.Time
	// From starts the page at this favorite; it overrides Begin and End.
	From      string
	Direction Direction
	// Type, when set, keeps favorites of that type only.
	Type *int
	// Limit is the page size, 1 to 200; 0 means the server default (100).
	Limit int
}

func (p FavoriteListParams) query() url.Values {
	q := url.Values{}
	if !p.Begin.IsZero() {
		q.Set("begin_time", strconv.FormatInt(p.Begin.UnixMilli(), 10))
	}
	if !p.End.IsZero() {
		q.Set("end_time", strconv.FormatInt(p.End.UnixMilli(), 10))
	}
	if p.From != "" {
		q.Set("collection_id", p.From)
	}
	if p.Direction != "" {
		q.Set("direction", string(p.Direction))
	}
	if p.Type != nil {
		q.Set("type", strconv.Itoa(*p.Type))
	}
	if p.Limit != 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q
}

type favoriteOne struct {
	Favorite *Favorite `json:"collection"`
}

func (a *favoriteOne) missing() string { return when(a.Favorite == nil, "collection") }

type favoriteMany struct {
	Favorites *[]Favorite `json:"collections"`
}

func (a *favoriteMany) missing() string { return when(a.Favorites == nil, "collections") }

// Favorites returns one page of the user's favorites (分页获取用户收藏).
// The answer has no cursor: continue with From set to the last ID.
//
//meta:operation GET /users/{username}/collections (collections.List)
func (s *Service) Favorites(ctx context.Context, username string, p FavoriteListParams, opts ...option.Call) ([]Favorite, error) {
	op := catalog.CollectionsList
	if !p.Begin.IsZero() && !p.End.IsZero() && p.End.Before(p.Begin) {
		return nil, core.Invalid(op.ID, "End", "before Begin")
	}
	r, err := userRequest(op, username, opts)
	if err != nil {
		return nil, err
	}
	r.Query = p.query()
	var out favoriteMany
	if err := s.answer(ctx, r, &out); err != nil {
		return nil, err
	}
	return *out.Favorites, nil
}

// AllFavorites walks the user's favorites from p on, page after page,
// each page paying its quota, until a short page or the first error. Each
// page after the first starts at the last favorite seen, which the walk
// does not yield twice.
func (s *Service) AllFavorites(ctx context.Context, username string, p FavoriteListParams, opts ...option.Call) iter.Seq2[Favorite, error] {
	size := p.Limit
	switch size {
	case 0:
		size = 100 // the documented default
	case 1:
		size = 2 // a page starting at the last one seen must hold one more
	}
	start := p.From
	return core.CursorPages(ctx, start, func(ctx context.Context, from string) ([]Favorite, string, error) {
		q := p
		q.From, q.Limit = from, size
		page, err := s.Favorites(ctx, username, q, opts...)
		if err != nil {
			return nil, "", err
		}
		next := ""
		if len(page) == size {
			next = page[len(page)-1].ID
		}
		if from != start && len(page) > 0 && page[0].ID == from {
			page = page[1:] // the server starts at the favorite named
		}
		return page, next, nil
	})
}

// AddFavorite saves one favorite for the user (添加一条收藏) and returns it
// as stored.
//
//meta:operation POST /users/{username}/collections (collections.Add)
func (s *Service) AddFavorite(ctx context.Context, username string, f NewFavorite, opts ...option.Call) (*Favorite, error) {
	op := catalog.CollectionsAdd
	if err := f.check(op.ID); err != nil {
		return nil, err
	}
	return s.favorite(ctx, op, username, f, opts)
}

// UpdateFavoriteExt replaces the extension of one favorite (修改用户收藏的
// 扩展信息); "" removes it. It returns the favorite as stored.
//
//meta:operation PUT /users/{username}/collections/{collectionId} (collections.UpdateExt)
func (s *Service) UpdateFavoriteExt(ctx context.Context, username, id, ext string, opts ...option.Call) (*Favorite, error) {
	op := catalog.CollectionsUpdateExt
	if err := checkExt(op.ID, ext); err != nil {
		return nil, err
	}
	return s.favorite(ctx, op, username, map[string]string{"ext": ext}, opts, "collectionId", id)
}

// favorite runs a call on the user's path whose answer is one favorite.
func (s *Service) favorite(ctx context.Context, op *catalog.Op, username string, body any, opts []option.Call, more ...string) (*Favorite, error) {
	r, err := userRequest(op, username, opts, more...)
	if err != nil {
		return nil, err
	}
	r.Body = body
	var out favoriteOne
	if err := s.answer(ctx, r, &out); err != nil {
		return nil, err
	}
	return out.Favorite, nil
}

// newFavorite is a batch item: the op requires every field.
type newFavorite struct {
	ID      string `json:"id"`
	Type    int    `json:"type"`
	Data    string `json:"data"`
	Ext     string `json:"ext"`
	Created int64  `json:"createdAt"`
}

// AddFavorites saves many favorites for the user (批量添加用户收藏), split
// into calls of at most 20. The op requires an ID and a creation time for
// each: an empty ID gets a random UUID and a zero Created the time of the
// call, and the result's inputs show them. The result has one item per
// favorite in input order; one the answer leaves out is reported failed.
//
//meta:operation POST /collections (collections.AddBatch)
func (s *Service) AddFavorites(ctx context.Context, username string, favorites []NewFavorite, opts ...option.Call) (*batch.Result[NewFavorite, Favorite], error) {
	op := catalog.CollectionsAddBatch
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, err
	}
	now := time.Now()
	filled := make([]NewFavorite, len(favorites))
	for i, f := range favorites {
		if f.ID == "" {
			f.ID = randomID()
		}
		if f.Created.IsZero() {
			f.Created = now
		}
		filled[i] = f
	}
	set := option.Resolve(opts...)
	b := core.Batch[NewFavorite, Favorite]{
		Op: op, Cap: "collections", Field: "favorites",
		Key:   func(f NewFavorite) string { return f.ID },
		Check: func(f NewFavorite) error { return f.check(op.ID) },
		Send: func(ctx context.Context, chunk []NewFavorite) ([]core.Outcome[Favorite], *core.Request, error) {
			items := make([]newFavorite, len(chunk))
			ids := make([]string, len(chunk))
			for i, f := range chunk {
				items[i] = newFavorite{ID: f.ID, Type: f.Type, Data: f.Data, Ext: f.Ext, Created: f.Created.UnixMilli()}
				ids[i] = f.ID
			}
			r := &core.Request{Op: op, Body: map[string]any{"username": username, "collections": items}, Opts: set}
			var out favoriteMany
			if err := s.answer(ctx, r, &out); err != nil {
				return nil, r, err
			}
			return byUsername(ids, *out.Favorites, func(f Favorite) string { return f.ID }), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, filled)
}

// DeleteFavorites deletes favorites of the user by ID (删除用户收藏),
// split into calls of at most 20. An unknown ID fails its call (400 user
// collection not found); the answer says nothing per ID.
//
//meta:operation DELETE /users/{username}/collections (collections.Delete)
func (s *Service) DeleteFavorites(ctx context.Context, username string, ids []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.CollectionsDelete
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "collection_ids", Field: "ids",
		Key: func(id string) string { return id },
		Check: func(id string) error {
			if id == "" {
				return core.Invalid(op.ID, "id", "empty")
			}
			return nil
		},
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("username", username), Body: map[string][]string{"collection_ids": chunk}, Opts: set}
			var out deleted
			if err := s.answer(ctx, r, &out); err != nil {
				return nil, r, err
			}
			o := core.Accepted(struct{}{})
			if !*out.Result {
				o = core.Refused[struct{}]("the server answered result false")
			}
			outs := make([]core.Outcome[struct{}], len(chunk))
			for i := range outs {
				outs[i] = o
			}
			return outs, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, ids)
}

type deleted struct {
	Result *core.Bool `json:"result"`
}

func (a *deleted) missing() string { return when(a.Result == nil, "result") }

// randomID is a random UUID (version 4), as the server picks for a favorite.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
