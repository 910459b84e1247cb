package easemobtest

import (
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/rules"
)

// Documented bounds of favorites (user_collection_*.md).
const (
	maxFavoriteData = 20480
	maxFavoriteExt  = 1024
	maxFavoritePage = 200
	// defaultFavoritePage is the page size of a list without limit.
	defaultFavoritePage = 100
)

// favoriteState holds each user's favorites by ID.
type favoriteState struct {
	byUser map[string]map[string]*favorite
}

type favorite struct {
	ID        string `json:"id"`
	Type      int    `json:"type"`
	Data      string `json:"data"`
	Ext       string `json:"ext"`
	CreatedAt int64  `json:"createdAt"`
	UpdatedAt int64  `json:"updatedAt"`
}

func errNoFavorite() *apiError { return errIllegalArgument("user collection not found") }

// checkFavoriteText applies the documented lengths of data and ext.
func checkFavoriteText(data, ext string) *apiError {
	switch {
	case utf8.RuneCountInString(data) > maxFavoriteData:
		return errIllegalArgument("data length should be less than " + strconv.Itoa(maxFavoriteData))
	case utf8.RuneCountInString(ext) > maxFavoriteExt:
		return errIllegalArgument("ext length should be less than " + strconv.Itoa(maxFavoriteExt))
	}
	return nil
}

// favoriteQuery is the query of collections.List.
type favoriteQuery struct {
	begin, end int64
	asc        bool
	typ        *int
	limit      int
	from       string
}

func readFavoriteQuery(q *request) (favoriteQuery, *apiError) {
	v := q.r.URL.Query()
	f := favoriteQuery{end: q.now.UnixMilli(), limit: defaultFavoritePage, from: v.Get("collection_id")}
	for _, p := range []struct {
		name string
		to   *int64
	}{{"begin_time", &f.begin}, {"end_time", &f.end}} {
		if s := v.Get(p.name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return f, errIllegalArgument(p.name + " must be an integer: " + s)
			}
			*p.to = n
		}
	}
	switch d := v.Get("direction"); d {
	case "", "desc":
	case "asc":
		f.asc = true
	default:
		return f, errIllegalArgument("direction should be desc or asc")
	}
	if s := v.Get("type"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return f, errIllegalArgument("type must be an integer: " + s)
		}
		f.typ = &n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil || n < 1:
			return f, errIllegalArgument("limit must be a positive integer: " + s)
		case n > maxFavoritePage:
			return f, errIllegalArgument("limit should be less than " + strconv.Itoa(maxFavoritePage))
		}
		f.limit = n
	}
	if f.begin > f.end {
		return f, errIllegalArgument("begin_time should be less than end_time")
	}
	return f, nil
}

func checkFavoritesQuery(q *request) *apiError {
	_, aerr := readFavoriteQuery(q)
	return aerr
}

type favoriteAnswer struct {
	Collection *favorite `json:"collection"`
}

type favoritesAnswer struct {
	Collections []favorite `json:"collections"`
}

// listFavorites orders the user's favorites by creation time and answers
// a page: from the favorite collection_id names (itself included), or
// within the time window.
func listFavorites(q *request) (any, *apiError) {
	f, _ := readFavoriteQuery(q)
	all := make([]*favorite, 0)
	for _, fav := range q.w.areas.favorites.byUser[fold(q.param("username"))] {
		all = append(all, fav)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.CreatedAt != b.CreatedAt {
			return (a.CreatedAt < b.CreatedAt) == f.asc
		}
		return (a.ID < b.ID) == f.asc
	})
	start := 0
	if f.from != "" {
		start = -1
		for i, fav := range all {
			if fav.ID == f.from {
				start = i
			}
		}
		if start < 0 {
			return nil, errNoFavorite()
		}
	}
	out := []favorite{}
	for _, fav := range all[start:] {
		if len(out) == f.limit {
			break
		}
		inWindow := f.from != "" || fav.CreatedAt >= f.begin && fav.CreatedAt <= f.end
		if inWindow && (f.typ == nil || *f.typ == fav.Type) {
			out = append(out, *fav)
		}
	}
	return favoritesAnswer{Collections: out}, nil
}

type newFavorite struct {
	ID        string `json:"id"`
	Type      int    `json:"type"`
	Data      string `json:"data"`
	Ext       string `json:"ext"`
	CreatedAt int64  `json:"createdAt"`
}

func checkFavorite(q *request) *apiError {
	b, aerr := decodeBody[newFavorite](q)
	if aerr != nil {
		return aerr
	}
	return checkFavoriteText(b.Data, b.Ext)
}

// store saves a favorite under its ID (a new random one when empty); an ID
// taken is replaced, keeping when it was first saved.
func (s *favoriteState) store(user string, n newFavorite, created, now int64) favorite {
	if n.ID == "" {
		n.ID = newUUID()
	}
	f := &favorite{ID: n.ID, Type: n.Type, Data: n.Data, Ext: n.Ext, CreatedAt: created, UpdatedAt: now}
	favs := mapOf(&s.byUser, user)
	if old := favs[n.ID]; old != nil {
		f.CreatedAt = old.CreatedAt
	}
	favs[n.ID] = f
	return *f
}

func addFavorite(q *request) (any, *apiError) {
	b, _ := decodeBody[newFavorite](q)
	ms := q.now.UnixMilli()
	f := q.w.areas.favorites.store(fold(q.param("username")), *b, ms, ms)
	return favoriteAnswer{&f}, nil
}

type favoriteBatch struct {
	Username    string        `json:"username"`
	Collections []newFavorite `json:"collections"`
}

func checkFavoriteBatch(q *request) *apiError {
	b, aerr := decodeBody[favoriteBatch](q)
	if aerr != nil {
		return aerr
	}
	if rules.Username(b.Username) != nil {
		return errIllegalArgument("username " + b.Username + " is not legal")
	}
	for _, n := range b.Collections {
		if aerr := checkFavoriteText(n.Data, n.Ext); aerr != nil {
			return aerr
		}
	}
	return nil
}

func addFavorites(q *request) (any, *apiError) {
	b, _ := decodeBody[favoriteBatch](q)
	out := make([]favorite, len(b.Collections))
	for i, n := range b.Collections {
		out[i] = q.w.areas.favorites.store(fold(b.Username), n, n.CreatedAt, q.now.UnixMilli())
	}
	return favoritesAnswer{Collections: out}, nil
}

type extBody struct {
	Ext string `json:"ext"`
}

func checkFavoriteExt(q *request) *apiError {
	b, aerr := decodeBody[extBody](q)
	if aerr != nil {
		return aerr
	}
	return checkFavoriteText("", b.Ext)
}

func updateFavoriteExt(q *request) (any, *apiError) {
	b, _ := decodeBody[extBody](q)
	f := q.w.areas.favorites.byUser[fold(q.param("username"))][q.param("collectionId")]
	if f == nil {
		return nil, errNoFavorite()
	}
	f.Ext, f.UpdatedAt = b.Ext, q.now.UnixMilli()
	out := *f
	return favoriteAnswer{&out}, nil
}

type idsBody struct {
	IDs []string `json:"collection_ids"`
}

// deleteFavorites deletes the IDs listed, all or none: one unknown ID
// fails the call.
func deleteFavorites(q *request) (any, *apiError) {
	b, aerr := decodeBody[idsBody](q)
	if aerr != nil {
		return nil, aerr
	}
	favs := q.w.areas.favorites.byUser[fold(q.param("username"))]
	for _, id := range b.IDs {
		if favs[id] == nil {
			return nil, errNoFavorite()
		}
	}
	for _, id := range b.IDs {
		delete(favs, id)
	}
	return map[string]bool{"result": true}, nil
}
