package core

import (
	"context"
	"iter"
	"strconv"
)

// PagesToLast walks a list paged by page number from page first: fetch
// gets a page number and returns the page and whether it is the last. The
// walk stops after the last page, at an empty page (a server that never
// says "last" must not loop forever), or at the first error, which is
// yielded once. It is CursorPages with the page number as the cursor.
func PagesToLast[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) ([]T, bool, error)) iter.Seq2[T, error] {
	return CursorPages(ctx, strconv.Itoa(first), func(ctx context.Context, cursor string) ([]T, string, error) {
		page, _ := strconv.Atoi(cursor) // only this walk makes cursors
		items, last, err := fetch(ctx, page)
		if err != nil || last {
			return items, "", err
		}
		return items, strconv.Itoa(page + 1), nil
	})
}
