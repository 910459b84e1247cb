package core

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNumberedPages(t *testing.T) {
	pages := map[int][]int{1: {1, 2}, 2: {3}, 3: {4}}
	var asked []int
	fetch := func(_ context.Context, page int) ([]int, bool, error) {
		asked = append(asked, page)
		return pages[page], page == 3, nil
	}
	var got []int
	for v, err := range NumberedPages(context.Background(), 1, fetch) {
		assert.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{1, 2, 3, 4}, got)
	assert.Equal(t, []int{1, 2, 3}, asked, "stops at the last page")

	boom := errors.New("boom")
	n := 0
	for _, err := range NumberedPages(context.Background(), 2, func(context.Context, int) ([]int, bool, error) { return nil, false, boom }) {
		assert.ErrorIs(t, err, boom)
		n++
	}
	assert.Equal(t, 1, n, "the error is yielded once")
}
