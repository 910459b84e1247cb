package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/messages"
)

// Every messages command, against the emulator: what it prints and what
// it changed on the server.
func TestMessagesCommands(t *testing.T) {
	run := newEmuCLI(t, "alice", "bob", "carol")
	offline := func(user string) int {
		t.Helper()
		var n offlineCount
		run.json(&n, "users", "offline-count", user)
		return n.Count
	}

	var sent []nameOutcome
	run.json(&sent, "messages", "send", "bob", "carol", "--from", "alice", "--text", "hello")
	require.Len(t, sent, 2)
	for i, who := range []string{"bob", "carol"} {
		assert.Equal(t, who, sent[i].Name)
		assert.Equal(t, "done", sent[i].Status)
		assert.NotEmpty(t, sent[i].Value, "the message ID")
	}
	textID, _ := sent[0].Value.(string)
	assert.Equal(t, 1, offline("bob"), "waits for bob, who is offline")
	run.json(&sent, "messages", "send", "bob", "--custom-event", "gift", "--custom-ext", "kind=rose", "--ext", `{"em_ignore_notification": true}`)
	assert.Equal(t, "done", sent[0].Status)
	assert.Equal(t, 2, offline("bob"))

	group, err := run.srv.AddGroup("alice", "bob")
	require.NoError(t, err)
	run.json(&sent, "messages", "send", group, "--chat-type", "groupchat", "--from", "alice", "--text", "to the group")
	assert.Equal(t, nameOutcome{Name: group, Status: "done", Value: sent[0].Value}, sent[0])
	groupMsg, _ := sent[0].Value.(string)
	room, err := run.srv.AddChatroom("alice", "bob")
	require.NoError(t, err)
	run.json(&sent, "messages", "send", room, "--chat-type", "chatroom", "--text", "to the room")
	assert.Equal(t, "done", sent[0].Status)

	for _, bad := range [][]string{
		{"bob", "--text", "x", "--chat-type", "sms"},
		{"bob"}, // no text
		{"bob", "--text", "x", "--ext", "not json"},
		{"bob", "--text", "x", "--custom-ext", "novalue"},
		{"bob", "bob", "--text", "twice"},
	} {
		assert.Equal(t, exitUsage, run.code(append([]string{"messages", "send"}, bad...)...), "%v", bad)
	}

	var rc messages.Recalled
	run.json(&rc, "messages", "recall", textID, "bob", "--from", "alice")
	assert.True(t, rc.OK(), "%+v", rc)
	assert.Equal(t, 1, offline("bob"), "the recall took the offline copy")
	assert.Equal(t, exitError, run.code("messages", "recall", "123456", "bob"), "no such message: the server answers 403 message_recall_error")
	assert.Equal(t, exitUsage, run.code("messages", "recall", textID, "bob", "--chat-type", "sms"))

	// The history file of this hour holds the group message.
	var links []messages.HistoryLink
	run.json(&links, "messages", "history", messages.HistoryHour(time.Now(), nil))
	require.NotEmpty(t, links)
	resp, err := http.Get(links[0].URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	body, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Contains(t, string(body), groupMsg)
	run.json(&links, "messages", "history", time.Now().Format(time.RFC3339))
	assert.NotEmpty(t, links)
	// The emulator names hours in Beijing time, as the China clusters do:
	// this hour's name read in UTC is another hour, without a file.
	assert.Equal(t, exitNotFound, run.code("messages", "history", messages.HistoryHour(time.Now(), time.UTC), "--zone", "utc"))
	assert.Equal(t, exitUsage, run.code("messages", "history", "yesterday"))

	var convs []struct {
		ID   string
		Type string
	}
	run.json(&convs, "messages", "conversations", "alice")
	assert.Contains(t, convs, struct{ ID, Type string }{"carol", "chat"})
	assert.Contains(t, convs, struct{ ID, Type string }{group, "groupchat"})
	assert.NotContains(t, convs, struct{ ID, Type string }{"bob", "chat"}, "its one message was recalled")
	run.ok("messages", "delete-conversation", "alice", "carol")
	run.ok("messages", "delete-conversation", "alice", group, "--chat-type", "groupchat", "--delete-roam")
	run.json(&convs, "messages", "conversations", "alice")
	assert.Empty(t, convs)
	assert.Equal(t, exitUsage, run.code("messages", "delete-conversation", "alice", room, "--chat-type", "chatroom"))
}
