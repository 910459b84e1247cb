package core

import (
	"context"
	"iter"
)

// NumberedPages walks a list paged by a 1-based page number from page
// start (below 1 means 1): fetch gets one page. Such lists carry no cursor
// and often no total, so the walk stops at an empty page, at a page
// shorter than size when size > 0, or at the first error, yielded once.
func NumberedPages[T any](ctx context.Context, start, size int, fetch func(ctx context.Context, page int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := max(start, 1); ; page++ {
			items, err := fetch(ctx, page)
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
			if len(items) == 0 || size > 0 && len(items) < size {
				return
			}
		}
	}
}
