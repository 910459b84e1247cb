package moderation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/emuclient"
	"github.com/emquota/easemob/moderation"
)

// badRequest asserts a documented 400 by its description.
func badRequest(t *testing.T, err error, desc string) {
	t.Helper()
	var e *easemob.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.StatusCode)
	assert.Equal(t, desc, e.Description)
}

func TestListLifecycle(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	l, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: "ads", Scope: moderation.AllScopes,
		Disposition: moderation.Reject, UserID: "admin", Words: []string{"casino", "loan"}})
	require.NoError(t, err)
	assert.NotEmpty(t, l.ID)
	assert.Equal(t, srv.AppKey, l.AppKey)
	assert.Equal(t, "ACTIVE", l.Status)
	assert.Equal(t, 2, l.Quantity)
	require.Len(t, l.Words, 2)
	assert.Equal(t, "casino", l.Words[0].Word)
	assert.Equal(t, l.ID, l.Words[0].ListID)
	assert.True(t, l.Created.After(before))

	_, err = c.Moderation.CreateList(ctx, moderation.NewList{Name: "ads", Scope: moderation.Chats, Disposition: moderation.Pass})
	badRequest(t, err, "The textList already exists")

	full := true
	up, err := c.Moderation.UpdateList(ctx, l.ID, moderation.ListChange{Name: "spam", Scope: moderation.AllScopes,
		Disposition: moderation.Reject, FullMatch: &full})
	require.NoError(t, err)
	assert.Equal(t, "spam", up.Name)
	assert.True(t, up.FullMatch)
	assert.Empty(t, up.Words, "the update answer has no textList")
	assert.WithinDuration(t, l.Created, up.Created, time.Millisecond, "the ISO-8601 time reads back")

	found, err := c.Moderation.SearchLists(ctx, moderation.ListQuery{Name: "spam"})
	require.NoError(t, err)
	require.Len(t, found.Lists, 1)
	assert.Equal(t, l.ID, found.Lists[0].ID)
	assert.Equal(t, moderation.Paging{First: true, Last: true, Size: 10, NumberOfElements: 1, TotalPages: 1, TotalElements: 1}, found.Paging)

	require.NoError(t, c.Moderation.DeleteList(ctx, l.ID))
	found, err = c.Moderation.SearchLists(ctx, moderation.ListQuery{})
	require.NoError(t, err)
	assert.Empty(t, found.Lists)
	badRequest(t, c.Moderation.DeleteList(ctx, l.ID), "textList data is empty")
	_, err = c.Moderation.UpdateList(ctx, l.ID, moderation.ListChange{Name: "x", Scope: moderation.AllScopes, Disposition: moderation.Pass})
	badRequest(t, err, "textList data is empty")
}

func TestWordsAddSearchUpdateDelete(t *testing.T) {
	c, _ := emuclient.New(t)
	ctx := context.Background()
	l, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: "music", Scope: moderation.AllScopes,
		Disposition: moderation.Pass, Words: []string{"music"}})
	require.NoError(t, err)

	got, err := c.Moderation.AddWords(ctx, l.ID, "v1", []string{"musicradio", "musicvideo", "sport"})
	require.NoError(t, err)
	assert.Equal(t, 4, got.Quantity)
	_, err = c.Moderation.AddWords(ctx, l.ID, "v1", []string{"sport"})
	badRequest(t, err, "The textList already contains the text")
	_, err = c.Moderation.AddWords(ctx, "nolist", "v1", []string{"x"})
	badRequest(t, err, "textList data is empty")

	page, err := c.Moderation.SearchWords(ctx, l.ID, moderation.WordQuery{Word: "music", Size: 2})
	require.NoError(t, err)
	assert.Len(t, page.Words, 2)
	assert.Equal(t, 3, page.TotalElements, "substring match: music, musicradio, musicvideo")
	assert.False(t, page.Last)
	var all []string
	for w, err := range c.Moderation.AllWords(ctx, l.ID, moderation.WordQuery{Word: "music", Size: 2}) {
		require.NoError(t, err)
		all = append(all, w.Word)
	}
	assert.ElementsMatch(t, []string{"music", "musicradio", "musicvideo"}, all)

	var sport moderation.Keyword
	for _, w := range got.Words {
		if w.Word == "sport" {
			sport = w
		}
	}
	changed, err := c.Moderation.UpdateWord(ctx, l.ID, sport.ID, "sports", "v2")
	require.NoError(t, err)
	assert.Equal(t, "sports", changed.Word)
	assert.Equal(t, "v2", changed.UserID)
	_, err = c.Moderation.UpdateWord(ctx, l.ID, "noword", "x", "v2")
	badRequest(t, err, "the param can not be empty")
	_, err = c.Moderation.UpdateWord(ctx, "nolist", sport.ID, "x", "v2")
	badRequest(t, err, "textList id is empty")

	ok, err := c.Moderation.DeleteWord(ctx, l.ID, sport.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = c.Moderation.DeleteWord(ctx, l.ID, sport.ID)
	require.NoError(t, err)
	assert.False(t, ok, "already gone: the server says false")

	ids := []string{got.Words[0].ID, got.Words[1].ID}
	ok, err = c.Moderation.DeleteWords(ctx, l.ID, ids)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = c.Moderation.DeleteWords(ctx, l.ID, ids)
	require.NoError(t, err)
	assert.False(t, ok, "entity 1: the words were not there")
	left, err := c.Moderation.SearchWords(ctx, l.ID, moderation.WordQuery{Word: ""})
	require.NoError(t, err)
	assert.Equal(t, 1, left.TotalElements)
}

func TestCheckTextAppliesTheLists(t *testing.T) {
	c, _ := emuclient.New(t)
	ctx := context.Background()
	create := func(name string, d moderation.Disposition, w ...string) {
		_, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: name, Scope: moderation.AllScopes, Disposition: d, Words: w})
		require.NoError(t, err)
	}
	check := func(text string) *moderation.TextCheck {
		res, err := c.Moderation.CheckText(ctx, text)
		require.NoError(t, err)
		assert.Equal(t, 200, res.Code)
		assert.NotEmpty(t, res.RequestID)
		return res
	}
	assert.Equal(t, moderation.Passed, check("hello").Verdict, "no list matches")
	create("block", moderation.Reject, "casino")
	create("replace", moderation.Exchange, "darn")
	create("allow", moderation.Pass, "casino royale")

	res := check("win at the CASINO tonight")
	assert.Equal(t, moderation.Rejected, res.Verdict)
	assert.Equal(t, []string{"casino"}, res.SensitiveWords)
	assert.Equal(t, strings.Repeat("*", len("win at the CASINO tonight")), res.ExchangeText)

	res = check("darn it")
	assert.Equal(t, moderation.Passed, res.Verdict)
	assert.Equal(t, "*** it", res.ExchangeText)

	assert.Equal(t, moderation.Passed, check("watching casino royale").Verdict, "the allow list wins")
}

func TestListLimits(t *testing.T) {
	c, _ := emuclient.New(t)
	ctx := context.Background()
	l, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: "big", Scope: moderation.AllScopes,
		Disposition: moderation.Reject, Words: emuclient.Names("w", 200)})
	require.NoError(t, err)
	assert.Equal(t, 200, l.Quantity, "200 words in one call")

	for i := range 99 {
		_, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: fmt.Sprint("l", i), Scope: moderation.Rooms, Disposition: moderation.Pass})
		require.NoError(t, err)
	}
	_, err = c.Moderation.CreateList(ctx, moderation.NewList{Name: "101st", Scope: moderation.Rooms, Disposition: moderation.Pass})
	badRequest(t, err, "The textList count exceeds the maximum number")

	var names []string
	for l, err := range c.Moderation.AllLists(ctx, moderation.ListQuery{Size: 30}) {
		require.NoError(t, err)
		names = append(names, l.Name)
	}
	assert.Len(t, names, 100, "four pages of 30")
}

func TestValidationSpendsNoQuota(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	ok := moderation.NewList{Name: "n", Scope: moderation.AllScopes, Disposition: moderation.Pass}
	with := func(edit func(*moderation.NewList)) error {
		l := ok
		edit(&l)
		_, err := c.Moderation.CreateList(ctx, l)
		return err
	}
	errs := map[string]error{
		"empty text": func() error { _, err := c.Moderation.CheckText(ctx, ""); return err }(),
		"no name":    with(func(l *moderation.NewList) { l.Name = "" }),
		"long name":  with(func(l *moderation.NewList) { l.Name = strings.Repeat("n", 33) }),
		"scope":      with(func(l *moderation.NewList) { l.Scope = "WORLD" }),
		"no tag":     with(func(l *moderation.NewList) { l.Scope = moderation.Tagged }),
		"action":     with(func(l *moderation.NewList) { l.Disposition = "" }),
		"201 words":  with(func(l *moderation.NewList) { l.Words = emuclient.Names("w", 201) }),
		"long word":  with(func(l *moderation.NewList) { l.Words = []string{strings.Repeat("w", 129)} }),
		"no words":   func() error { _, err := c.Moderation.AddWords(ctx, "l", "u", nil); return err }(),
		"101 words":  func() error { _, err := c.Moderation.AddWords(ctx, "l", "u", emuclient.Names("w", 101)); return err }(),
		"list id":    c.Moderation.DeleteList(ctx, "a/b"),
		"word id":    func() error { _, err := c.Moderation.DeleteWord(ctx, "l", ""); return err }(),
		"word ids":   func() error { _, err := c.Moderation.DeleteWords(ctx, "l", emuclient.Names("w", 101)); return err }(),
		"no ids":     func() error { _, err := c.Moderation.DeleteWords(ctx, "l", nil); return err }(),
		"page":       func() error { _, err := c.Moderation.SearchLists(ctx, moderation.ListQuery{Page: -1}); return err }(),
		"size": func() error {
			_, err := c.Moderation.SearchWords(ctx, "l", moderation.WordQuery{Size: 201})
			return err
		}(),
		"new word": func() error { _, err := c.Moderation.UpdateWord(ctx, "l", "w", "", "u"); return err }(),
	}
	for name, err := range errs {
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
}
