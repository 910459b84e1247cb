package core

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNumberedPages(t *testing.T) {
	pages := [][]int{{1, 2}, {3, 4}, {5}}
	walk := func(start, size int, fail int) (got []int, asked []int, errs int) {
		fetch := func(_ context.Context, n int) ([]int, error) {
			asked = append(asked, n)
			switch {
			case n == fail:
				return nil, errors.New("boom")
			case n > len(pages):
				return nil, nil
			}
			return pages[n-1], nil
		}
		for v, err := range NumberedPages(context.Background(), start, size, fetch) {
			if err != nil {
				errs++
				continue
			}
			got = append(got, v)
		}
		return got, asked, errs
	}
	got, asked, _ := walk(0, 2, 0)
	assert.Equal(t, []int{1, 2, 3, 4, 5}, got)
	assert.Equal(t, []int{1, 2, 3}, asked, "the short page is the last")
	_, asked, _ = walk(1, 0, 0)
	assert.Equal(t, []int{1, 2, 3, 4}, asked, "without a size, an empty page ends the walk")
	got, _, _ = walk(2, 2, 0)
	assert.Equal(t, []int{3, 4, 5}, got, "from the start page")
	got, asked, errs := walk(1, 2, 2)
	assert.Equal(t, []int{1, 2}, got)
	assert.Equal(t, []int{1, 2}, asked)
	assert.Equal(t, 1, errs, "the error is yielded once and ends the walk")
}
