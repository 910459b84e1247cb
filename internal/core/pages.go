package core

import (
	"context"
	"iter"
)

// NumberedPages walks a list paged by number from page first (the docs
// start some lists at 0, others at 1): fetch returns the items of one
// page, size is the page size the server applies. The walk stops at a
// page shorter than size, at an empty page, at a page that starts with
// the item the previous page started with (a server that ignores the page
// number must not loop forever; key may be nil to skip that check), or at
// the first error, which is yielded once.
func NumberedPages[T any](ctx context.Context, first, size int, key func(T) string,
	fetch func(ctx context.Context, page int) ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		prev, started := "", false
		for page := first; ; page++ {
			items, err := fetch(ctx, page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if len(items) == 0 {
				return
			}
			if key != nil {
				k := key(items[0])
				if started && k == prev {
					return
				}
				prev, started = k, true
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < size {
				return
			}
		}
	}
}
