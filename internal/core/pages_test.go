package core

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numbered serves n items in pages of size, from page 1; stuck answers
// every page as page 1.
func numbered(n, size int, stuck bool, calls *int) func(context.Context, int) ([]int, error) {
	return func(_ context.Context, page int) ([]int, error) {
		*calls++
		if stuck {
			page = 1
		}
		var out []int
		for i := (page - 1) * size; i < min(page*size, n); i++ {
			out = append(out, i)
		}
		return out, nil
	}
}

func walk(seq func(func(int, error) bool)) (items []int, errs []error) {
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	return items, errs
}

func TestNumberedPages(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		n, size, calls int
	}{{25, 10, 3}, {30, 10, 4}, {0, 10, 1}, {9, 10, 1}} {
		calls := 0
		items, errs := walk(NumberedPages(ctx, 1, tc.size, intKey, numbered(tc.n, tc.size, false, &calls)))
		assert.Empty(t, errs)
		assert.Len(t, items, tc.n, "every item once")
		for i, v := range items {
			assert.Equal(t, i, v)
		}
		assert.Equal(t, tc.calls, calls, "%d items of %d a page", tc.n, tc.size)
	}

	calls := 0
	items, _ := walk(NumberedPages(ctx, 1, 10, intKey, numbered(50, 10, true, &calls)))
	assert.Len(t, items, 10, "a server ignoring the page number ends the walk")
	assert.Equal(t, 2, calls)

	boom := errors.New("boom")
	items, errs := walk(NumberedPages(ctx, 1, 2, intKey, func(_ context.Context, page int) ([]int, error) {
		if page == 2 {
			return nil, boom
		}
		return []int{1, 2}, nil
	}))
	assert.Equal(t, []int{1, 2}, items)
	assert.Equal(t, []error{boom}, errs, "the error once, then the end")

	calls = 0
	for _, err := range NumberedPages(ctx, 1, 10, intKey, numbered(50, 10, false, &calls)) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, 1, calls, "a stopped walk fetches no more")
}

func intKey(v int) string { return strconv.Itoa(v) }
