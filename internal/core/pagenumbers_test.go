package core

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPagesToLast(t *testing.T) {
	pages := [][]int{{1, 2}, {3, 4}, {5}}
	var asked []int
	fetch := func(last func(page int) bool) func(context.Context, int) ([]int, bool, error) {
		return func(_ context.Context, page int) ([]int, bool, error) {
			asked = append(asked, page)
			if page >= len(pages) {
				return nil, false, nil
			}
			return pages[page], last(page), nil
		}
	}
	collect := func(seq func(func(int, error) bool)) (out []int, errs []error) {
		for v, err := range seq {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, v)
		}
		return out, errs
	}
	ctx := context.Background()

	got, _ := collect(PagesToLast(ctx, 0, fetch(func(p int) bool { return p == 2 })))
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []int{0, 1, 2}, asked, "stops after the last page")

	asked = nil
	got, _ = collect(PagesToLast(ctx, 1, fetch(func(int) bool { return false })))
	assert.Equal(t, []int{3, 4, 5}, got, "from the first page given")
	assert.Equal(t, []int{1, 2, 3}, asked, "a server that never says last: the empty page ends it")

	boom := errors.New("boom")
	_, errs := collect(PagesToLast(ctx, 0, func(context.Context, int) ([]int, bool, error) { return nil, false, boom }))
	assert.Equal(t, []error{boom}, errs, "the error once")

	asked = nil
	for v, err := range PagesToLast(ctx, 0, fetch(func(int) bool { return false })) {
		require.NoError(t, err)
		if v == 2 {
			break
		}
	}
	assert.Equal(t, []int{0}, asked, "a break asks for no more pages")
}
