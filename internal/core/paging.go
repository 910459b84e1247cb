package core

import (
	"context"
	"iter"
)

// CursorPages walks a cursor-paged list from cursor start ("" for the
// beginning): fetch gets a cursor and returns a page and the next cursor.
// The walk stops at an empty page, an empty cursor or a cursor seen before,
// the starting one included (a server bug must not loop forever), or at
// the first error, which is yielded once.
func CursorPages[T any](ctx context.Context, start string, fetch func(ctx context.Context, cursor string) ([]T, string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]bool{start: true}
		cursor := start
		for {
			items, next, err := fetch(ctx, cursor)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) == 0 || next == "" || seen[next] {
				return
			}
			seen[next] = true
			cursor = next
		}
	}
}
