package core

import (
	"context"
	"iter"
)

// NumberedPages walks a list paged by page number from page first: fetch
// gets a page number and returns the page and whether it is the last. The
// walk stops after the last page, at an empty page (a server that never
// says "last" must not loop forever), or at the first error, which is
// yielded once.
func NumberedPages[T any](ctx context.Context, first int, fetch func(ctx context.Context, page int) ([]T, bool, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := first; ; page++ {
			items, last, err := fetch(ctx, page)
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
			if last || len(items) == 0 {
				return
			}
		}
	}
}
