package core

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeNameResultsTakesBothForms(t *testing.T) {
	items, err := DecodeNameResults(json.RawMessage(`[{"result":true,"user":"a"},{"result":"false","reason":"no","user":"B"}]`))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "B"}, []string{items[0].User, items[1].User})
	one, err := DecodeNameResults(json.RawMessage(` {"result":"success","user":"c","action":"x"}`))
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.True(t, one[0].Result)
	assert.Equal(t, "x", one[0].Raw.String("action"))
}

func TestByNameReportsEveryName(t *testing.T) {
	items := []NameResult{{User: "A", Result: true}, {User: "b", Reason: "not a member"}, {User: "c"}}
	out := ByName([]string{"a", "b", "c", "d"}, items, func(it NameResult) string { return it.User })
	assert.Equal(t, []Outcome[string]{Accepted("A"), Refused[string]("not a member"), Refused[string](NoReason), Refused[string](Omitted)}, out)
}

func TestNumberedPagesStops(t *testing.T) {
	ctx := context.Background()
	collect := func(first, size int, pages map[int][]string, key func(string) string) ([]string, []int, error) {
		var got []string
		var asked []int
		for v, err := range NumberedPages(ctx, first, size, key, func(_ context.Context, n int) ([]string, error) {
			asked = append(asked, n)
			if p, ok := pages[n]; ok {
				return p, nil
			}
			return nil, errors.New("boom")
		}) {
			if err != nil {
				return got, asked, err
			}
			got = append(got, v)
		}
		return got, asked, nil
	}
	id := func(s string) string { return s }

	got, asked, err := collect(1, 2, map[int][]string{1: {"a", "b"}, 2: {"c"}}, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, got, "a short page is the last")
	assert.Equal(t, []int{1, 2}, asked)

	got, asked, err = collect(0, 2, map[int][]string{0: {"a", "b"}, 1: {}}, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, got, "an empty page ends it")
	assert.Equal(t, []int{0, 1}, asked)

	got, _, err = collect(1, 2, map[int][]string{1: {"a", "b"}, 2: {"a", "b"}}, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, got, "a server that ignores the page number does not loop")

	got, _, err = collect(1, 2, map[int][]string{1: {"a", "b"}}, nil)
	assert.EqualError(t, err, "boom")
	assert.Equal(t, []string{"a", "b"}, got)
}
