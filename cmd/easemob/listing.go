package main

import (
	"context"
	"flag"
	"fmt"
	"iter"
	"strconv"

	"github.com/emquota/easemob"
)

// pageFlags are the --limit, --cursor and --all of a list command.
type pageFlags struct {
	limit  *int
	cursor *string
	all    *bool
}

// listFlags declares a list command's paging flags: --limit of def (0 for
// the server's default), described by size.
func listFlags(fs *flag.FlagSet, def int, size string) pageFlags {
	return pageFlags{
		limit:  fs.Int("limit", def, size),
		cursor: fs.String("cursor", "", "continue from a previous page"),
		all:    fs.Bool("all", false, "every page from --cursor on"),
	}
}

// listed returns the page one answers, its items and cursor read by
// items, or with all every item of each (which starts where one would).
func listed[P, T any](all bool, one func() (*P, error), items func(*P) ([]T, string), each iter.Seq2[T, error]) (any, error) {
	if all {
		return collect(each)
	}
	pg, err := one()
	if err != nil {
		return nil, err
	}
	list, cursor := items(pg)
	return page[T]{Items: list, Cursor: cursor}, nil
}

// collect gathers every item of an SDK iterator.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{} // none is [], not null
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// pageNumber reads the cursor of a list the API pages by number: the
// number itself, first when empty.
func pageNumber(cursor string, first int) (int, error) {
	if cursor == "" {
		return first, nil
	}
	n, err := strconv.Atoi(cursor)
	if err != nil || n < first {
		return 0, usagef("--cursor %q: want a page number from %d", cursor, first)
	}
	return n, nil
}

// nextPage is the cursor after page num of a list paged by number: ""
// when no page follows.
func nextPage(more bool, num int) string {
	if !more {
		return ""
	}
	return strconv.Itoa(num + 1)
}

// numbered are the flags of a list paged by number with --page.
type numbered struct {
	page, limit int
}

// numberedList is the setup of a list paged by number with --page rather
// than --cursor: one page (--page, from def.page, of --limit, 1 to
// maxLimit), or with --all every page from --page on through the SDK's
// iterator. A full page says on stderr how to get the next.
func numberedList[T any](def numbered, maxLimit int,
	one func(ctx context.Context, c *easemob.Client, x *call, p numbered) ([]T, error),
	all func(ctx context.Context, c *easemob.Client, x *call, p numbered) iter.Seq2[T, error]) func(*flag.FlagSet) apiCall {
	return func(fs *flag.FlagSet) apiCall {
		p := def
		fs.IntVar(&p.page, "page", def.page, fmt.Sprintf("page number, from %d", def.page))
		fs.IntVar(&p.limit, "limit", def.limit, fmt.Sprintf("page size, 1 to %d", maxLimit))
		every := fs.Bool("all", false, "every page from --page on")
		return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			if *every {
				return collect(all(ctx, c, x, p))
			}
			items, err := one(ctx, c, x, p)
			if err != nil {
				return nil, err
			}
			if p.limit > 0 && len(items) >= p.limit {
				fmt.Fprintf(x.stderr, "more: --page %d\n", p.page+1)
			}
			return items, nil
		}
	}
}

// mapSlice applies f to each of s.
func mapSlice[A, B any](s []A, f func(A) B) []B {
	out := make([]B, len(s))
	for i, a := range s {
		out[i] = f(a)
	}
	return out
}

// mapSeq applies f to the values of seq.
func mapSeq[A, B any](seq iter.Seq2[A, error], f func(A) B) iter.Seq2[B, error] {
	return func(yield func(B, error) bool) {
		for a, err := range seq {
			var b B
			if err == nil {
				b = f(a)
			}
			if !yield(b, err) {
				return
			}
		}
	}
}
