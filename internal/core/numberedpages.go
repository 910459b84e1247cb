package core

import (
	"context"
	"iter"
	"strconv"
)

// NumberedPages walks a list paged by a 1-based page number from page
// start (below 1 means 1): fetch gets one page. Such lists carry no cursor
// and often no total, so the walk stops at an empty page, at a page
// shorter than size when size > 0, or at the first error, yielded once.
// It is CursorPages with the page number as the cursor.
func NumberedPages[T any](ctx context.Context, start, size int, fetch func(ctx context.Context, page int) ([]T, error)) iter.Seq2[T, error] {
	return CursorPages(ctx, strconv.Itoa(max(start, 1)), func(ctx context.Context, cursor string) ([]T, string, error) {
		page, _ := strconv.Atoi(cursor) // always one of ours
		items, err := fetch(ctx, page)
		if err != nil || size > 0 && len(items) < size {
			return items, "", err
		}
		return items, strconv.Itoa(page + 1), nil
	})
}
