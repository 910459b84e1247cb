package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersContactsAndBlocks(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob", "carol")
	var friend struct{ Username string }
	e.json(&friend, "users", "add-contact", "alice", "bob")
	assert.Equal(t, "bob", friend.Username)
	e.ok("users", "add-contact", "alice", "carol")

	var pg struct {
		Items  []struct{ Username, Remark string }
		Cursor string
	}
	e.json(&pg, "users", "contacts", "bob")
	require.Len(t, pg.Items, 1)
	assert.Equal(t, "alice", pg.Items[0].Username, "friends both ways")
	e.json(&pg, "users", "contacts", "alice", "--limit", "1")
	require.Len(t, pg.Items, 1)
	assert.NotEmpty(t, pg.Cursor)
	first := pg.Items[0].Username
	e.json(&pg, "users", "contacts", "alice", "--limit", "1", "--cursor", pg.Cursor)
	assert.NotEqual(t, first, pg.Items[0].Username)
	r := e.ok("users", "contacts", "alice", "--limit", "1")
	assert.Contains(t, r.stderr, "more: --cursor ")

	e.ok("users", "set-contact-remark", "alice", "bob", "old friend")
	var all []struct{ Username, Remark string }
	e.json(&all, "users", "contacts", "alice", "--all", "--limit", "1", "--remarks")
	assert.ElementsMatch(t, []struct{ Username, Remark string }{{"bob", "old friend"}, {"carol", ""}}, all)

	e.ok("users", "remove-contact", "alice", "bob")
	e.json(&pg, "users", "contacts", "bob")
	assert.Empty(t, pg.Items)
	assert.Equal(t, exitNotFound, e.code("users", "add-contact", "alice", "nobody"))

	var rows []userOutcome
	e.json(&rows, "users", "block", "alice", "bob", "carol")
	assert.Equal(t, []userOutcome{{"bob", "done", ""}, {"carol", "done", ""}}, rows)
	var blocked []string
	e.json(&blocked, "users", "blocked", "alice", "--all", "--limit", "1")
	assert.ElementsMatch(t, []string{"bob", "carol"}, blocked)
	e.ok("users", "unblock", "alice", "bob")
	var bp struct{ Items []string }
	e.json(&bp, "users", "blocked", "alice")
	assert.Equal(t, []string{"carol"}, bp.Items)
	r = e.ok("users", "blocked", "alice")
	assert.Equal(t, "carol\n", r.stdout, "a table of names: one a line")
}

func TestUsersMutes(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob")
	assert.Equal(t, exitUsage, e.code("users", "mute", "alice"), "no kind given")
	assert.Equal(t, exitUsage, e.code("users", "mute", "alice", "--chat", "1500ms"), "not whole seconds")
	e.ok("users", "mute", "alice", "--chat", "1h", "--chatroom", "forever")
	e.ok("users", "mute", "bob", "--groupchat", "90s")

	var m struct {
		UserID                    string
		Chat, GroupChat, Chatroom int64
	}
	e.json(&m, "users", "mute-status", "alice")
	assert.InDelta(t, 3600, m.Chat, 5)
	assert.Zero(t, m.GroupChat)
	assert.Equal(t, int64(-1), m.Chatroom)
	r := e.ok("users", "mute-status", "alice")
	assert.Regexp(t, `chatroom\s+forever`, r.stdout)

	var rows []struct {
		Username, Kind string
		Left           int64
	}
	e.json(&rows, "users", "mutes", "--all", "--limit", "1")
	assert.Len(t, rows, 3, "a row per user and kind")
	var pg struct {
		Items  []muteRow
		Cursor string
	}
	e.json(&pg, "users", "mutes", "--limit", "2")
	assert.Len(t, pg.Items, 2)
	assert.Equal(t, "2", pg.Cursor, "the next page's number")
	pg.Cursor = "" // left out when empty
	e.json(&pg, "users", "mutes", "--limit", "2", "--cursor", "2")
	assert.Len(t, pg.Items, 1)
	assert.Empty(t, pg.Cursor)
	assert.Equal(t, exitUsage, e.code("users", "mutes", "--cursor", "x"))

	e.ok("users", "unmute", "alice")
	e.json(&m, "users", "mute-status", "alice")
	assert.Zero(t, m.Chat+m.GroupChat+m.Chatroom)
}

func TestUsersAttributes(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob")
	var set map[string]string
	e.json(&set, "users", "set-attributes", "alice", "nickname=Al", "city=Paris")
	assert.Equal(t, map[string]string{"nickname": "Al", "city": "Paris"}, set)
	e.ok("users", "set-attributes", "bob", "city=Rome")
	assert.Equal(t, exitUsage, e.code("users", "set-attributes", "alice", "city"))
	assert.Equal(t, exitUsage, e.code("users", "set-attributes", "alice", "gender=9"), "refused before sending")

	var got map[string]string
	e.json(&got, "users", "attributes", "alice")
	assert.Equal(t, set, got)
	r := e.ok("users", "attributes", "alice")
	assert.Regexp(t, `city\s+Paris`, r.stdout)

	assert.Equal(t, exitUsage, e.code("users", "attributes", "alice", "bob"), "several need --keys")
	var rows []attributesRow
	e.json(&rows, "users", "attributes", "alice", "bob", "--keys", "city")
	require.Len(t, rows, 2)
	assert.Equal(t, "Paris", rows[0].Attributes["city"])
	assert.Equal(t, "Rome", rows[1].Attributes["city"])
	assert.Equal(t, "done", rows[1].Status)

	e.ok("users", "delete-attributes", "alice")
	got = nil
	e.json(&got, "users", "attributes", "alice")
	assert.Empty(t, got)
}

func TestUsersPush(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob")
	assert.Equal(t, exitUsage, e.code("users", "set-push-settings", "alice"), "nothing to change")
	var ps struct {
		Type           string
		IgnoreInterval string
	}
	e.json(&ps, "users", "set-push-settings", "alice", "--type", "none", "--quiet-hours", "22:00-07:00")
	assert.Equal(t, "NONE", ps.Type)
	e.json(&ps, "users", "push-settings", "alice")
	assert.Equal(t, "NONE", ps.Type)
	assert.Equal(t, "22:00-07:00", ps.IgnoreInterval)

	e.json(&ps, "users", "set-push-settings", "alice", "--chat", "bob", "--type", "AT")
	assert.Equal(t, "AT", ps.Type)
	e.json(&ps, "users", "push-settings", "alice")
	assert.Equal(t, "NONE", ps.Type, "the app-wide setting is apart from the chat's")
	e.json(&ps, "users", "push-settings", "alice", "--chat", "bob")
	assert.Equal(t, "AT", ps.Type)
	assert.Equal(t, exitUsage, e.code("users", "set-push-settings", "alice", "--chat", "bob", "--quiet-hours", "22:00-07:00"),
		"quiet hours are app-wide only")
	assert.Equal(t, exitUsage, e.code("users", "push-settings", "alice", "--chat", "bob", "--group", "1"))
	e.json(&ps, "users", "set-push-settings", "alice", "--quiet-hours", "")
	assert.Empty(t, ps.IgnoreInterval, "cleared")
	var quiet struct{ IgnoreUntil time.Time }
	e.json(&quiet, "users", "set-push-settings", "alice", "--group", "g1", "--quiet-for", "2h")
	assert.WithinDuration(t, time.Now().Add(2*time.Hour), quiet.IgnoreUntil, time.Minute)
	e.json(&quiet, "users", "push-settings", "alice", "--group", "g1")
	assert.WithinDuration(t, time.Now().Add(2*time.Hour), quiet.IgnoreUntil, time.Minute)
	e.json(&quiet, "users", "set-push-settings", "alice", "--group", "g1", "--quiet-for", "0")
	assert.True(t, quiet.IgnoreUntil.IsZero(), "cleared: %v", quiet.IgnoreUntil)

	var u struct {
		Username string
		Nickname string
	}
	e.json(&u, "users", "set-push-nickname", "alice", "Ally")
	assert.Equal(t, "Ally", u.Nickname)
	e.json(&u, "users", "get", "alice")
	assert.Equal(t, "Ally", u.Nickname)
	e.ok("users", "set-push-style", "alice", "detail")
	assert.Equal(t, exitUsage, e.code("users", "set-push-style", "alice", "loud"))

	var lang pushLanguage
	e.json(&lang, "users", "set-push-language", "alice", "EU")
	assert.Equal(t, pushLanguage{"alice", "EU"}, lang)
	e.json(&lang, "users", "push-language", "alice")
	assert.Equal(t, "EU", lang.Language)
	e.ok("users", "set-push-language", "alice", "")
	e.json(&lang, "users", "push-language", "alice")
	assert.Empty(t, lang.Language)
}

// Every command of the presence, threads, moderation and callbacks
// modules and of users_more.go has --help, which exits 0, and a summary
// that names its operation in Chinese.
func TestHelpOfPresenceThreadsModerationCallbacksAndUserAreas(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir()}
	userAreas := []string{"add-contact", "remove-contact", "contacts", "set-contact-remark", "block", "unblock", "blocked",
		"mute", "unmute", "mute-status", "mutes", "attributes", "set-attributes", "delete-attributes",
		"push-settings", "set-push-settings", "set-push-nickname", "set-push-style", "push-language", "set-push-language"}
	modules := map[string]int{}
	for _, c := range commands {
		module, name, _ := strings.Cut(c.path, " ")
		switch {
		case module == "users" && slices.Contains(userAreas, name):
		case module == "presence", module == "threads", module == "moderation", module == "callbacks":
		default:
			continue
		}
		modules[module]++
		r := cli(t, env, "", module, name, "--help")
		assert.Equal(t, exitOK, r.code, c.path)
		assert.Contains(t, r.stdout, "Usage: easemob "+c.path, c.path)
		assert.Contains(t, r.stdout, "-timeout duration", c.path)
		assert.Regexp(t, `\p{Han}`, c.summary, "%s: the operation's title", c.path)
	}
	assert.Equal(t, map[string]int{"users": len(userAreas), "presence": 6, "threads": 7, "moderation": 9, "callbacks": 2}, modules)
}
