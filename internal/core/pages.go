package core

import (
	"context"
	"iter"
	"slices"
)

// NumberedPages walks a list paged by number (pagenum/pagesize) from page
// first, size items a page: fetch returns one page. The walk stops after
// a page shorter than size (the last), an empty page, a page equal to the
// one before (a server that ignores the page number must not loop
// forever), or at the first error, which is yielded once.
func NumberedPages[T comparable](ctx context.Context, first, size int, fetch func(ctx context.Context, page int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var prev []T
		for page := first; ; page++ {
			items, err := fetch(ctx, page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if len(items) == 0 || slices.Equal(items, prev) {
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < size {
				return
			}
			prev = items
		}
	}
}
