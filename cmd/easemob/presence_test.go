package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresenceCommands(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob", "carol", "dave")
	e.ok("presence", "set-status", "bob", "android", "online", "--ext", "at work")
	e.ok("presence", "set-status", "carol", "ios", "7", "--ext", "in a meeting")
	assert.Equal(t, exitUsage, e.code("presence", "set-status", "bob", "android", "busy", "--ext", "x"), "not a number")
	assert.Equal(t, exitUsage, e.code("presence", "set-status", "bob", "android", "1"), "no --ext")

	var rows []presenceRow
	e.json(&rows, "presence", "subscribe", "alice", "bob", "carol", "--expiry", "2h")
	require.Len(t, rows, 2)
	assert.Equal(t, "bob", rows[0].Username)
	assert.Equal(t, "done", rows[0].Status)
	assert.Equal(t, "at work", rows[0].Ext)
	assert.Equal(t, "1", string(rows[0].Resources["android"]))
	assert.WithinDuration(t, time.Now().Add(2*time.Hour), rows[0].Expires, time.Minute)
	assert.Equal(t, exitUsage, e.code("presence", "subscribe", "alice", "alice"), "not to itself")
	assert.Equal(t, exitUsage, e.code("presence", "subscribe", "alice", "bob", "--expiry", "800h"))

	rows = nil
	e.json(&rows, "presence", "statuses", "alice", "carol", "dave")
	require.Len(t, rows, 2)
	assert.Equal(t, "7", string(rows[0].Resources["ios"]))
	assert.Equal(t, "in a meeting", rows[0].Ext)
	assert.Equal(t, "failed", rows[1].Status, "alice does not subscribe to dave")
	r := e.ok("presence", "statuses", "alice", "bob")
	assert.Regexp(t, `(?m)^USERNAME\s+STATUS\s+REASON\s+RESOURCES`, r.stdout)

	var pg struct {
		Items  []subscriptionRow
		Cursor string
	}
	e.json(&pg, "presence", "subscriptions", "alice", "--limit", "1")
	require.Len(t, pg.Items, 1)
	assert.Equal(t, "bob", pg.Items[0].Username)
	assert.Equal(t, "2", pg.Cursor)
	pg.Cursor = ""
	e.json(&pg, "presence", "subscriptions", "alice", "--limit", "1", "--cursor", "2")
	assert.Equal(t, "carol", pg.Items[0].Username)
	assert.Empty(t, pg.Cursor, "the last page")
	var subs []subscriptionRow
	e.json(&subs, "presence", "subscriptions", "alice", "--all", "--limit", "1")
	assert.Len(t, subs, 2)

	var gone []userOutcome
	e.json(&gone, "presence", "unsubscribe", "alice", "bob")
	assert.Equal(t, []userOutcome{{"bob", "done", ""}}, gone)
	subs = nil
	e.json(&subs, "presence", "subscriptions", "alice", "--all")
	require.Len(t, subs, 1)
	assert.Equal(t, "carol", subs[0].Username)

	group, err := e.srv.AddGroup("alice", "bob", "carol")
	require.NoError(t, err)
	require.NoError(t, e.srv.SetOnline("bob", "android_1"))
	var n groupOnline
	e.json(&n, "presence", "group-online", group)
	assert.Equal(t, groupOnline{GroupID: group, Online: 1}, n)
}
