package chatrooms

import (
	"net/url"
	"strconv"
)

// ListParams page through the app's rooms by cursor.
type ListParams struct {
	// Limit is the page size, 1 to 1000; 0 means the server's default (10).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
}

func (p ListParams) query() url.Values {
	q := url.Values{}
	setInt(q, "limit", p.Limit)
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return q
}

// setInt sets an integer parameter the caller gave (not 0).
func setInt(q url.Values, name string, n int) {
	if n != 0 {
		q.Set(name, strconv.Itoa(n))
	}
}

// Page is one page of the app's rooms.
type Page struct {
	Chatrooms []Summary
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}

// PageParams choose one page of a list paged by number.
type PageParams struct {
	// Page is the page number, from 1; 0 leaves it to the server (the first).
	Page int
	// Size is the page size, 1 to 1000; 0 leaves it to the server, whose
	// default the list's method names.
	Size int
}

func (p PageParams) query() url.Values {
	q := url.Values{}
	setInt(q, "pagenum", p.Page)
	setInt(q, "pagesize", p.Size)
	return q
}

// walkSize is the page size the iterators ask for when none is given: the
// documented maximum, so a walk takes the fewest calls.
const walkSize = 1000

// walk returns the first page and page size of an iterator over p, and a
// copy of p for a page number.
func (p PageParams) walk() (first, size int, at func(page int) PageParams) {
	first, size = max(p.Page, 1), p.Size
	if size == 0 {
		size = walkSize
	}
	return first, size, func(page int) PageParams { return PageParams{Page: page, Size: size} }
}
