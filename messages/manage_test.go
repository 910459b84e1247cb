package messages_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// sendOne sends msg from one user to another and returns its ID.
func sendOne(t *testing.T, c *easemob.Client, from, to string, m messages.Message) string {
	t.Helper()
	res, err := c.Messages.Send(ctx, messages.ToUsers(from, to), m)
	require.NoError(t, err)
	return res.Items[0].Value
}

// historyRecords downloads the history file of the hour holding at.
func historyRecords(t *testing.T, c *easemob.Client, at time.Time) []map[string]any {
	t.Helper()
	links, err := c.Messages.HistoryFile(ctx, at, nil)
	require.NoError(t, err)
	require.Len(t, links, 1)
	assert.True(t, links[0].Expires.After(at), "the link expires after the call")
	resp, err := http.Get(links[0].URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	gz, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	var out []map[string]any
	for sc := bufio.NewScanner(gz); sc.Scan(); {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		out = append(out, rec)
	}
	return out
}

func recordIDs(recs []map[string]any) []string {
	var ids []string
	for _, r := range recs {
		ids = append(ids, r["msg_id"].(string))
	}
	return ids
}

// The history file of an hour holds its messages, edited as they are
// now; a recalled one is gone; an hour without any is not found, and one
// older than 3 days refused.
func TestHistoryFileAgreesWithTheMessages(t *testing.T) {
	start := time.Date(2024, 5, 1, 10, 15, 0, 0, messages.Beijing)
	clk, opt := newClock(start)
	c, _ := newClient(t, []easemobtest.Option{opt})
	a := sendOne(t, c, "alice", "bob", messages.Text("first"))
	b := sendOne(t, c, "alice", "bob", messages.Text("second"))
	require.NoError(t, c.Messages.Modify(ctx, a, messages.Edit{Msg: messages.Text("first, edited")}))
	_, err := c.Messages.Recall(ctx, messages.RecallItem{MsgID: b, To: "bob", ChatType: messages.Chat, Force: true}, "")
	require.NoError(t, err)
	clk.add(time.Hour)
	later := sendOne(t, c, "bob", "alice", messages.Text("an hour on"))

	recs := historyRecords(t, c, start)
	assert.Equal(t, []string{a}, recordIDs(recs))
	body := recs[0]["payload"].(map[string]any)["bodies"].([]any)[0].(map[string]any)
	assert.Equal(t, "first, edited", body["msg"])
	assert.Equal(t, "chat", recs[0]["chat_type"])
	assert.Equal(t, []string{later}, recordIDs(historyRecords(t, c, start.Add(time.Hour))))

	_, err = c.Messages.HistoryFile(ctx, start.Add(-2*time.Hour), messages.Beijing)
	_ = apiError(t, err, 404, "storage_object_not_found", "Failed to find chat message history download url")
	clk.add(4 * 24 * time.Hour)
	_, err = c.Messages.HistoryFile(ctx, start, nil)
	_ = apiError(t, err, 400, "illegal_argument", "maybe chat message history is expired or unstored")
	_, err = c.Messages.HistoryFile(ctx, time.Time{}, nil)
	invalid(t, err, "zero hour")
	assert.Equal(t, "2024050102", messages.HistoryHour(start, time.UTC), "the zone chooses the hour")
}

// A recall withdraws the message for the receiver too: its offline copy,
// its attachment. It works inside the window or with force, never twice,
// never on a command message.
func TestRecall(t *testing.T) {
	clk, opt := newClock(time.Now())
	c, srv := newClient(t, []easemobtest.Option{opt})
	addUsers(t, srv, "bob")
	att, err := c.Messages.Upload(ctx, messages.Upload{Name: "a.png", Content: strings.NewReader("png")})
	require.NoError(t, err)
	img := sendOne(t, c, "alice", "bob", messages.Image(att.URL, "a.png"))
	n, err := c.Users.OfflineMessageCount(ctx, "bob")
	require.NoError(t, err)
	require.Equal(t, 1, n)

	rc, err := c.Messages.Recall(ctx, messages.RecallItem{MsgID: img, To: "bob", ChatType: messages.Chat, From: "alice"}, "mistake")
	require.NoError(t, err)
	assert.True(t, rc.OK())
	assert.Equal(t, img, rc.MsgID)
	assert.Equal(t, messages.Chat, rc.ChatType)
	n, err = c.Users.OfflineMessageCount(ctx, "bob")
	require.NoError(t, err)
	assert.Zero(t, n, "the offline copy went")
	_, err = c.Messages.Download(ctx, att.UUID, new(strings.Builder), "")
	assert.ErrorIs(t, err, easemob.ErrNotFound, "the attachment went")

	_, err = c.Messages.Recall(ctx, messages.RecallItem{MsgID: img, To: "bob", ChatType: messages.Chat}, "")
	_ = apiError(t, err, 403, "message_recall_error", "not_found msg")

	old := sendOne(t, c, "alice", "bob", messages.Text("old"))
	clk.add(3 * time.Minute)
	_, err = c.Messages.Recall(ctx, messages.RecallItem{MsgID: old, To: "bob", ChatType: messages.Chat}, "")
	_ = apiError(t, err, 403, "message_recall_error", "exceed recall time limit")
	_, err = c.Messages.Recall(ctx, messages.RecallItem{MsgID: old, To: "carl", ChatType: messages.Chat, Force: true}, "")
	_ = apiError(t, err, 400, "message_recall_error", "can't find msg to")
	_, err = c.Messages.Recall(ctx, messages.RecallItem{MsgID: old, To: "bob", ChatType: messages.Chat, Force: true, NoSync: true}, "")
	require.NoError(t, err, "force recalls past the window")

	cmd := sendOne(t, c, "alice", "bob", messages.Command("sync"))
	_, err = c.Messages.Recall(ctx, messages.RecallItem{MsgID: cmd, To: "bob", ChatType: messages.Chat}, "")
	_ = apiError(t, err, 403, "message_recall_error", "not_found msg")

	for name, it := range map[string]messages.RecallItem{
		"no id":     {To: "bob", ChatType: messages.Chat},
		"type":      {MsgID: "1", To: "bob", ChatType: "private"},
		"bad to":    {MsgID: "1", To: "b b", ChatType: messages.Chat},
		"bad from":  {MsgID: "1", To: "bob", ChatType: messages.Chat, From: "a/b"},
		"group /id": {MsgID: "1", To: "a/b", ChatType: messages.GroupChat},
	} {
		_, err := c.Messages.Recall(ctx, it, "")
		invalid(t, err, name)
	}
}

// A batch recall reports each message: recalled, or refused with the
// server's word; above 30 it is split.
func TestRecallBatch(t *testing.T) {
	c, srv := newClient(t, nil)
	res, err := c.Messages.Send(ctx, messages.ToUsers("alice", names("u", 31)...), messages.Text("oops"))
	require.NoError(t, err)
	var items []messages.RecallItem
	for _, it := range res.Items {
		items = append(items, messages.RecallItem{MsgID: it.Value, To: it.Input, ChatType: messages.Chat})
	}
	items = append(items, messages.RecallItem{MsgID: "1", To: "bob", ChatType: messages.Chat})
	got, err := c.Messages.RecallBatch(ctx, items, "cleanup")
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 31, be.Done)
	assert.Equal(t, 1, be.Failed)
	assert.True(t, got.Items[0].Value.OK())
	assert.Equal(t, "not_found msg", got.Items[31].Reason)
	assert.Equal(t, 2, srv.OpStats("messages.RecallBatch").Accepted)

	_, err = c.Messages.RecallBatch(ctx, []messages.RecallItem{items[0], items[0]}, "")
	invalid(t, err, "twice")
}

// An edit changes the message everywhere, at most 10 times; the editor
// must be its sender; a command message cannot be edited.
func TestModify(t *testing.T) {
	c, _ := newClient(t, nil)
	id := sendOne(t, c, "alice", "bob", messages.Text("helo"))
	edit := messages.Text("hello")
	edit.Ext = map[string]any{"edited": true}
	require.NoError(t, c.Messages.Modify(ctx, id, messages.Edit{User: "alice", Msg: edit}))
	assert.Equal(t, []string{"hello"}, searchText(t, c, "bob", "hello"))

	err := c.Messages.Modify(ctx, id, messages.Edit{User: "bob", Msg: messages.Text("mine")})
	_ = apiError(t, err, 401, "message_rewrite_error", "You are not authorized to edit this message.")
	err = c.Messages.Modify(ctx, id, messages.Edit{Msg: messages.Custom("ev", nil)})
	_ = apiError(t, err, 400, "message_rewrite_error", "")
	for i := 1; i < messages.MaxEdits; i++ {
		require.NoError(t, c.Messages.Modify(ctx, id, messages.Edit{Msg: messages.Text("v")}))
	}
	err = c.Messages.Modify(ctx, id, messages.Edit{Msg: messages.Text("once more")})
	_ = apiError(t, err, 403, "message_rewrite_error", "")

	err = c.Messages.Modify(ctx, "1234", messages.Edit{Msg: messages.Text("x")})
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	invalid(t, c.Messages.Modify(ctx, id, messages.Edit{Msg: messages.Command("x")}), "command")
	invalid(t, c.Messages.Modify(ctx, "abc", messages.Edit{Msg: messages.Text("x")}), "not a number")
	invalid(t, c.Messages.Modify(ctx, id, messages.Edit{}), "no message")

	// Of an image only the ext changes: the body's fields are not sent.
	img := sendOne(t, c, "alice", "bob", messages.Image("https://h/f", "a.png"))
	noURL := messages.ImageBody{}
	noURL.Ext = map[string]any{"tag": "x"}
	require.NoError(t, c.Messages.Modify(ctx, img, messages.Edit{Msg: noURL, ReplaceExt: true}))
}

// Imports land in the conversation's history in time order, without any
// offline message; out of order they are refused.
func TestImport(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "bob")
	t0 := time.Now().Add(-time.Hour)
	id, err := c.Messages.ImportToUser(ctx, messages.Import{From: "alice", To: "bob", Msg: messages.Text("imported hello"), Time: t0})
	require.NoError(t, err)
	assert.NotEmpty(t, id)
	assert.Equal(t, []string{"imported hello"}, searchText(t, c, "bob", "imported"))
	n, err := c.Users.OfflineMessageCount(ctx, "bob")
	require.NoError(t, err)
	assert.Zero(t, n)

	_, err = c.Messages.ImportToUser(ctx, messages.Import{From: "bob", To: "alice", Msg: messages.Text("earlier"), Time: t0.Add(-time.Minute)})
	_ = apiError(t, err, 400, "illegal_argument", "msg_timestamp")
	_, err = c.Messages.ImportToGroup(ctx, messages.Import{From: "alice", To: "g1", Msg: messages.Text("hi all"), Time: t0})
	require.NoError(t, err, "another conversation has its own order")

	_, err = c.Messages.ImportToUser(ctx, messages.Import{To: "bob", Msg: messages.Text("x")})
	invalid(t, err, "no from")
	_, err = c.Messages.ImportToUser(ctx, messages.Import{From: "a", To: "bob", Msg: messages.Text("x"), Time: time.UnixMilli(5)})
	invalid(t, err, "tiny timestamp")
}

// Deleting a conversation takes it off one user's list (and with
// deleteRoam, off the user's roaming history); the other user keeps it.
// The per-user quota (5 a minute) holds for each user apart.
func TestConversations(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "alice", "bob")
	sendOne(t, c, "alice", "bob", messages.Text("ping one"))
	_, err := c.Messages.Send(ctx, messages.ToGroups("alice", "g1"), messages.Text("ping all"))
	require.NoError(t, err)

	list, err := c.Messages.Conversations(ctx, "alice")
	require.NoError(t, err)
	require.Len(t, list.Conversations, 2)
	assert.Equal(t, "g1", list.Conversations[0].ID, "the latest first")
	assert.Equal(t, messages.GroupChat, list.Conversations[0].Type)
	assert.Equal(t, "bob", list.Conversations[1].ID)

	require.NoError(t, c.Messages.DeleteConversation(ctx, "alice", "bob", messages.Chat, false))
	list, err = c.Messages.Conversations(ctx, "alice")
	require.NoError(t, err)
	require.Len(t, list.Conversations, 1)
	assert.Equal(t, []string{"ping one"}, searchText(t, c, "alice", "one"), "the roaming history stays")
	bobs, err := c.Messages.Conversations(ctx, "bob")
	require.NoError(t, err)
	require.Len(t, bobs.Conversations, 1)
	assert.Equal(t, 1, bobs.Conversations[0].Unread, "bob is offline: one unread")

	require.NoError(t, c.Messages.DeleteConversation(ctx, "bob", "alice", messages.Chat, true))
	assert.Empty(t, searchText(t, c, "bob", "one"), "deleteRoam took the history too")
	assert.Equal(t, []string{"ping one"}, searchText(t, c, "alice", "one"))

	for range 4 { // with the first, 5
		require.NoError(t, c.Messages.DeleteConversation(ctx, "alice", "g1", messages.GroupChat, false))
	}
	err = c.Messages.DeleteConversation(ctx, "alice", "g1", messages.GroupChat, false, option.NoWait())
	var wait *ratelimit.WaitError
	assert.ErrorAs(t, err, &wait, "alice's 5 a minute are used up")
	require.NoError(t, c.Messages.DeleteConversation(ctx, "bob", "g1", messages.GroupChat, false, option.NoWait()), "bob has his own")
	assert.Equal(t, 5, srv.Stats(easemob.GroupConversationsDeleteForUser).MaxInWindow[0], "never more than 5 for one user")

	err = c.Messages.DeleteConversation(ctx, "nobody", "bob", messages.Chat, false)
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	invalid(t, c.Messages.DeleteConversation(ctx, "alice", "r1", messages.Chatroom, false), "no chatrooms")
	invalid(t, c.Messages.DeleteConversation(ctx, "alice", "b b", messages.Chat, false), "bad peer")
}

// Roaming deletions are one-sided: the owner loses the messages, the
// peer keeps them. Above 50 IDs the deletion is split.
func TestRoamingDeletions(t *testing.T) {
	clk, opt := newClock(time.Now())
	c, srv := newClient(t, []easemobtest.Option{opt})
	addUsers(t, srv, "alice", "bob")
	var ids []string
	for i := range 60 {
		ids = append(ids, sendOne(t, c, "alice", "bob", messages.Text("roam "+names("n", 60)[i])))
	}
	res, err := c.Messages.DeleteChatRoaming(ctx, "alice", "bob", ids[:55], true)
	require.NoError(t, err)
	assert.Equal(t, 55, res.Count(batch.Done))
	assert.Equal(t, 2, srv.OpStats("roaming.DeleteChatMessages").Accepted)
	assert.Len(t, searchAll(t, c, "alice", "roam"), 5)
	assert.Len(t, searchAll(t, c, "bob", "roam"), 60)

	clk.add(time.Second)
	require.NoError(t, c.Messages.ClearChatRoamingBefore(ctx, "bob", "alice", clk.now, false))
	assert.Empty(t, searchAll(t, c, "bob", "roam"))
	clk.add(time.Second)
	after := sendOne(t, c, "alice", "bob", messages.Text("roam again"))
	assert.Len(t, searchAll(t, c, "bob", "roam"), 1, "only what came after the time")

	_, err = c.Messages.Send(ctx, messages.ToGroups("alice", "g1"), messages.Text("roam group"))
	require.NoError(t, err)
	_, err = c.Messages.DeleteGroupRoaming(ctx, "alice", "g1", []string{after}, true)
	require.NoError(t, err)
	assert.Len(t, searchAll(t, c, "alice", "roam"), 7, "a one-to-one ID names no group message")
	clk.add(time.Second)
	require.NoError(t, c.Messages.ClearGroupRoamingBefore(ctx, "alice", "g1", clk.now, true))
	assert.Len(t, searchAll(t, c, "alice", "roam"), 6)
	require.NoError(t, c.Messages.ClearRoaming(ctx, "alice"))
	assert.Empty(t, searchAll(t, c, "alice", "roam"))
	list, err := c.Messages.Conversations(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, list.Conversations, "clearing a user clears the conversations too")

	_, err = c.Messages.DeleteChatRoaming(ctx, "alice", "bob", nil, true)
	invalid(t, err, "no IDs")
	invalid(t, c.Messages.ClearChatRoamingBefore(ctx, "alice", "bob", time.Time{}, true), "zero time")
}

// searchAll returns every hit of keyword for user, in all conversations.
func searchAll(t *testing.T, c *easemob.Client, user, keyword string) []messages.SearchHit {
	t.Helper()
	var out []messages.SearchHit
	for h, err := range c.Messages.SearchAll(ctx, user, messages.SearchQuery{Keywords: []string{keyword}, Groups: []string{"g1"}, Size: 100}) {
		require.NoError(t, err)
		out = append(out, h)
	}
	return out
}
