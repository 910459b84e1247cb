package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModerationCommands(t *testing.T) {
	e := newEmuCLI(t)
	var check struct {
		Verdict        string
		SensitiveWords []string
		ExchangeText   string
	}
	e.json(&check, "moderation", "check", "win at the casino")
	assert.Equal(t, "PASS", check.Verdict, "no list yet")

	type list struct {
		ID, Name, Scope, Disposition string
		FullMatch                    bool
		Quantity                     int
		Words                        []struct{ ID, Word string }
	}
	var l list
	e.json(&l, "moderation", "create-list", "ads", "casino", "loan", "--disposition", "reject", "--user-id", "ops")
	require.NotEmpty(t, l.ID)
	assert.Equal(t, "ALL", l.Scope, "the default scope")
	assert.Equal(t, "REJECT", l.Disposition)
	assert.Equal(t, 2, l.Quantity)
	assert.Equal(t, exitUsage, e.code("moderation", "create-list", "x"), "no disposition")
	assert.Equal(t, exitUsage, e.code("moderation", "create-list", "x", "--disposition", "PASS", "--scope", "moon"))
	assert.Equal(t, exitUsage, e.code("moderation", "create-list", "x", "--disposition", "PASS", "--scope", "TAG"), "no tag")
	assert.Equal(t, exitError, e.code("moderation", "create-list", "ads", "--disposition", "PASS"), "the name is taken: 400")
	var other list
	e.json(&other, "moderation", "create-list", "other", "--disposition", "PASS", "--scope", "ROOM")

	e.json(&check, "moderation", "check", "win at the casino")
	assert.Equal(t, "REJECT", check.Verdict)
	assert.Equal(t, []string{"casino"}, check.SensitiveWords)

	var lp struct {
		Items  []list
		Cursor string
	}
	e.json(&lp, "moderation", "lists", "--limit", "1")
	require.Len(t, lp.Items, 1)
	assert.Equal(t, "1", lp.Cursor, "pages count from 0")
	lp.Cursor = ""
	e.json(&lp, "moderation", "lists", "--limit", "1", "--cursor", "1")
	require.Len(t, lp.Items, 1)
	assert.Empty(t, lp.Cursor, "the last page")
	e.json(&lp, "moderation", "lists", "--name", "ads")
	require.Len(t, lp.Items, 1)
	assert.Equal(t, l.ID, lp.Items[0].ID)
	var lists []list
	e.json(&lists, "moderation", "lists", "--all", "--limit", "1")
	assert.Len(t, lists, 2)

	assert.Equal(t, exitUsage, e.code("moderation", "update-list", l.ID, "--name", "spam", "--scope", "ALL"), "no disposition")
	var up list
	e.json(&up, "moderation", "update-list", l.ID, "--name", "spam", "--scope", "all", "--disposition", "EXCHANGE", "--full-match")
	assert.Equal(t, "spam", up.Name)
	assert.Equal(t, "EXCHANGE", up.Disposition)
	assert.True(t, up.FullMatch)
	e.json(&up, "moderation", "update-list", l.ID, "--name", "spam", "--scope", "ALL", "--disposition", "EXCHANGE")
	assert.True(t, up.FullMatch, "unchanged when --full-match is not given")

	e.json(&l, "moderation", "add-words", l.ID, "lottery", "lotto")
	assert.Equal(t, 4, l.Quantity)
	assert.Equal(t, exitError, e.code("moderation", "add-words", l.ID, "loan"), "the list has it: 400")

	type word struct{ ID, Word, UserID string }
	var wp struct {
		Items  []word
		Cursor string
	}
	e.json(&wp, "moderation", "words", l.ID, "--word", "lot", "--limit", "1")
	require.Len(t, wp.Items, 1)
	assert.Equal(t, "1", wp.Cursor)
	var words []word
	e.json(&words, "moderation", "words", l.ID, "--word", "lot", "--all", "--limit", "1")
	assert.Len(t, words, 2)
	r := e.ok("moderation", "words", l.ID, "--word", "lotto")
	assert.Regexp(t, `(?m)^ID\s+APP_ID\s+WORD`, r.stdout)
	assert.Contains(t, r.stdout, "lotto")

	left := words[1].Word // words[0] is renamed, then deleted
	var w word
	e.json(&w, "moderation", "update-word", l.ID, words[0].ID, "bingo", "--user-id", "ops2")
	assert.Equal(t, word{words[0].ID, "bingo", "ops2"}, w)

	var del wordsDeleted
	e.json(&del, "moderation", "delete-words", l.ID, words[0].ID)
	assert.True(t, del.Result)
	e.json(&del, "moderation", "delete-words", l.ID, words[0].ID)
	assert.False(t, del.Result, "already gone")
	ids := []string{}
	for _, w := range l.Words {
		if w.Word == "casino" || w.Word == "loan" {
			ids = append(ids, w.ID)
		}
	}
	require.Len(t, ids, 2)
	e.json(&del, append([]string{"moderation", "delete-words", l.ID}, ids...)...)
	assert.True(t, del.Result)
	words = nil
	e.json(&words, "moderation", "words", l.ID, "--all")
	require.Len(t, words, 1)
	assert.Equal(t, left, words[0].Word)

	e.ok("moderation", "delete-list", l.ID)
	e.json(&lp, "moderation", "lists")
	require.Len(t, lp.Items, 1)
	assert.Equal(t, other.ID, lp.Items[0].ID)
	r = cli(t, e.env, "", "moderation", "delete-list", l.ID)
	assert.Equal(t, exitError, r.code)
	assert.True(t, strings.Contains(r.stderr, "textList data is empty"), r.stderr)
}
