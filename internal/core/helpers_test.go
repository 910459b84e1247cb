package core

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pager serves pages keyed by the cursor that asks for them.
type pager struct {
	pages   map[string][]int
	next    map[string]string
	fail    map[string]bool
	cursors []string
}

func (p *pager) fetch(_ context.Context, cursor string) ([]int, string, error) {
	p.cursors = append(p.cursors, cursor)
	if p.fail[cursor] {
		return nil, "", errors.New("boom")
	}
	return p.pages[cursor], p.next[cursor], nil
}

func collect(p *pager) ([]int, []error) { return collectFrom(p, "") }

func collectFrom(p *pager, start string) ([]int, []error) {
	var items []int
	var errs []error
	for it, err := range CursorPages(context.Background(), start, p.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

func TestCursorPages(t *testing.T) {
	t.Run("empty cursor ends", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1, 2}, "c1": {3}},
			next:  map[string]string{"": "c1", "c1": ""},
		}
		items, errs := collect(p)
		assert.Equal(t, []int{1, 2, 3}, items)
		assert.Empty(t, errs)
		assert.Equal(t, []string{"", "c1"}, p.cursors)
	})
	t.Run("empty page ends despite a cursor", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1}, "c1": {}},
			next:  map[string]string{"": "c1", "c1": "c2"},
		}
		items, errs := collect(p)
		assert.Equal(t, []int{1}, items)
		assert.Empty(t, errs)
		assert.Equal(t, []string{"", "c1"}, p.cursors)
	})
	t.Run("repeated cursor ends", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1}, "c1": {2}, "c2": {3}},
			next:  map[string]string{"": "c1", "c1": "c2", "c2": "c1"},
		}
		items, errs := collect(p)
		assert.Equal(t, []int{1, 2, 3}, items)
		assert.Empty(t, errs)
		assert.Equal(t, []string{"", "c1", "c2"}, p.cursors)
	})
	t.Run("cursor equal to itself ends", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1}, "c1": {2}},
			next:  map[string]string{"": "c1", "c1": "c1"},
		}
		items, _ := collect(p)
		assert.Equal(t, []int{1, 2}, items)
		assert.Equal(t, []string{"", "c1"}, p.cursors)
	})
	t.Run("a cursor back to the start ends", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"s": {1}, "c1": {2}},
			next:  map[string]string{"s": "c1", "c1": "s"},
		}
		items, _ := collectFrom(p, "s")
		assert.Equal(t, []int{1, 2}, items)
		assert.Equal(t, []string{"s", "c1"}, p.cursors, "the starting cursor counts as seen")
	})
	t.Run("error yielded once", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1, 2}},
			next:  map[string]string{"": "c1"},
			fail:  map[string]bool{"c1": true},
		}
		items, errs := collect(p)
		assert.Equal(t, []int{1, 2}, items)
		require.Len(t, errs, 1)
		assert.EqualError(t, errs[0], "boom")
		assert.Equal(t, []string{"", "c1"}, p.cursors)
	})
	t.Run("error on the first page", func(t *testing.T) {
		p := &pager{fail: map[string]bool{"": true}}
		items, errs := collect(p)
		assert.Empty(t, items)
		assert.Len(t, errs, 1)
	})
	t.Run("break stops fetching", func(t *testing.T) {
		p := &pager{
			pages: map[string][]int{"": {1, 2}, "c1": {3}},
			next:  map[string]string{"": "c1"},
		}
		for it, err := range CursorPages(context.Background(), "", p.fetch) {
			require.NoError(t, err)
			if it == 1 {
				break
			}
		}
		assert.Equal(t, []string{""}, p.cursors)
	})
	t.Run("ctx passed to fetch", func(t *testing.T) {
		type key struct{}
		ctx := context.WithValue(context.Background(), key{}, "v")
		var got any
		for _, err := range CursorPages(ctx, "", func(ctx context.Context, _ string) ([]int, string, error) {
			got = ctx.Value(key{})
			return nil, "", nil
		}) {
			require.NoError(t, err)
		}
		assert.Equal(t, "v", got)
	})
}

func TestInt64(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Int64
	}{
		{`12`, 12},
		{`"12"`, 12},
		{`-7`, -7},
		{`1700000000000`, 1700000000000},
		{`"1700000000000"`, 1700000000000},
		{`12.0`, 12},
		{`1.7e3`, 1700},
		{`null`, 0},
		{`""`, 0},
	} {
		v := Int64(99)
		require.NoError(t, json.Unmarshal([]byte(tc.in), &v), tc.in)
		assert.Equal(t, tc.want, v, tc.in)
	}
	for _, bad := range []string{`"abc"`, `true`, `{}`} {
		var v Int64
		assert.Error(t, json.Unmarshal([]byte(bad), &v), bad)
	}

	var s struct {
		N Int64 `json:"n"`
		M Int64 `json:"m"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"n":"5","m":null}`), &s))
	assert.EqualValues(t, 5, s.N)
	assert.Zero(t, s.M)
}

func TestBool(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Bool
	}{
		{`true`, true},
		{`false`, false},
		{`"true"`, true},
		{`"false"`, false},
		{`"success"`, true},
		{`"failure"`, false},
		{`null`, false},
	} {
		v := !tc.want
		require.NoError(t, json.Unmarshal([]byte(tc.in), &v), tc.in)
		assert.Equal(t, tc.want, v, tc.in)
	}
	var v Bool
	assert.Error(t, json.Unmarshal([]byte(`{}`), &v))

	var s struct {
		B *Bool `json:"b"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"b":"success"}`), &s))
	require.NotNil(t, s.B)
	assert.True(t, bool(*s.B))
}
