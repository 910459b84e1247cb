package messages_test

import (
	"encoding/json"
	"fmt"
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

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%04d", prefix, i)
	}
	return out
}

// A send to 1300 users goes out as 600 + 600 + 100, each call charged for
// its own users, and reports a message ID per user; the offline ones get
// an offline message each.
func TestSendToUsersSplitsAndReportsEveryUser(t *testing.T) {
	c, srv := newClient(t, nil)
	users := names("u", 1300)
	addUsers(t, srv, users[0], users[1])
	require.NoError(t, srv.SetOnline(users[1]))

	res, err := c.Messages.Send(ctx, messages.ToUsers("admin", users...), messages.Text("hello"))
	require.NoError(t, err)
	require.Len(t, res.Items, 1300)
	ids := map[string]bool{}
	for i, it := range res.Items {
		assert.Equal(t, users[i], it.Input)
		assert.Equal(t, batch.Done, it.Status)
		ids[it.Value] = true
	}
	assert.Len(t, ids, 1300, "one message per user")
	st := srv.Stats(easemob.GroupMessagesSendUsers)
	assert.Equal(t, 3, st.Accepted)
	assert.Equal(t, []int{3, 1300}, st.MaxInWindow, "3 calls, 1300 messages")

	n, err := c.Users.OfflineMessageCount(ctx, users[0])
	require.NoError(t, err)
	assert.Equal(t, 1, n, "offline: kept for later")
	n, err = c.Users.OfflineMessageCount(ctx, users[1])
	require.NoError(t, err)
	assert.Zero(t, n, "online: delivered")
	state, err := c.Users.OfflineMessageStatus(ctx, users[0], res.Items[0].Value)
	require.NoError(t, err)
	assert.Equal(t, "undelivered", string(state))
	require.NoError(t, srv.SetOnline(users[0]))
	state, err = c.Users.OfflineMessageStatus(ctx, users[0], res.Items[0].Value)
	require.NoError(t, err)
	assert.Equal(t, "delivered", string(state), "delivered once online")
}

// Every target kind reaches its op; targeted sends split by 20 users and
// give every user of a call that call's message ID.
func TestSendEveryTargetAndType(t *testing.T) {
	c, srv := newClient(t, nil)
	bodies := []messages.Message{
		messages.Text("hi"), messages.Image("https://h/o/a/chatfiles/1", "a.png"), messages.Voice("https://h/1", "a.amr", 3),
		messages.Video("https://h/2", "a.mp4", 10), messages.File("https://h/3", "a.txt"), messages.Location(1.5, 2.25, "here"),
		messages.Command("refresh"), messages.Custom("gift", map[string]string{"n": "1"}),
	}
	for _, m := range bodies {
		res, err := c.Messages.Send(ctx, messages.ToGroups("alice", "g1", "g2", "g3", "g4"), m)
		require.NoError(t, err, m.Type())
		assert.Equal(t, 4, res.Count(batch.Done), m.Type())
	}
	assert.Equal(t, 16, srv.Stats(easemob.GroupMessagesSendGroups).Accepted, "4 groups: 3 + 1 per message")

	rooms, err := c.Messages.Send(ctx, messages.ChatroomsTarget{Chatrooms: names("r", 11), Level: messages.Low}, messages.Text("x"))
	require.NoError(t, err)
	assert.Equal(t, 11, rooms.Count(batch.Done))
	assert.Equal(t, 2, srv.OpStats("messages.SendToChatrooms").Accepted)

	members := names("m", 25)
	res, err := c.Messages.Send(ctx, messages.ToGroupMembers("alice", "g1", members...), messages.Text("psst"))
	require.NoError(t, err)
	require.Len(t, res.Items, 25)
	assert.Equal(t, res.Items[0].Value, res.Items[19].Value, "one call, one message")
	assert.NotEqual(t, res.Items[19].Value, res.Items[20].Value, "the second call is a message of its own")
	assert.Equal(t, 2, srv.OpStats("messages.SendToGroupMembers").Accepted)

	res, err = c.Messages.Send(ctx, messages.ChatroomMembersTarget{Chatroom: "r1", Users: []string{"a", "b"}, Level: messages.High}, messages.Text("x"))
	require.NoError(t, err)
	assert.Equal(t, 2, res.Count(batch.Done))
}

// Bad input is refused before any quota is spent: the body's documented
// fields, a body and ext over 5 KB, IDs, options, a target given twice.
func TestSendRefusesBadInputBeforeQuota(t *testing.T) {
	c, srv := newClient(t, nil)
	big := messages.Text(strings.Repeat("x", 4000))
	big.Ext = map[string]any{"pad": strings.Repeat("y", 1200)}
	justFits := messages.Text(strings.Repeat("x", messages.MaxMessageBytes-len(`{"msg":""}`)))
	for name, tc := range map[string]struct {
		to messages.Target
		m  messages.Message
	}{
		"too large":      {messages.ToUsers("", "bob"), big},
		"empty text":     {messages.ToUsers("", "bob"), messages.Text("")},
		"no url":         {messages.ToUsers("", "bob"), messages.Image("", "a.png")},
		"no action":      {messages.ToUsers("", "bob"), messages.Command("")},
		"custom event":   {messages.ToUsers("", "bob"), messages.Custom("bad event!", nil)},
		"custom exts":    {messages.ToUsers("", "bob"), messages.Custom("", map[string]string{"1": "", "2": "", "3": "", "4": "", "5": "", "6": "", "7": "", "8": "", "9": "", "10": "", "11": "", "12": "", "13": "", "14": "", "15": "", "16": "", "17": ""})},
		"no address":     {messages.ToUsers("", "bob"), messages.Location(1, 2, "")},
		"nil message":    {messages.ToUsers("", "bob"), nil},
		"nil target":     {nil, messages.Text("x")},
		"no users":       {messages.ToUsers("admin"), messages.Text("x")},
		"twice":          {messages.ToUsers("admin", "bob", "BOB"), messages.Text("x")},
		"bad user":       {messages.ToUsers("admin", "b b"), messages.Text("x")},
		"bad from":       {messages.ToUsers("a/b", "bob"), messages.Text("x")},
		"bad env":        {messages.UsersTarget{Users: []string{"bob"}, Env: "too-long-env"}, messages.Text("x")},
		"roam ignore":    {messages.GroupsTarget{Groups: []string{"g"}, RoamIgnoreUsers: names("i", 21)}, messages.Text("x")},
		"level":          {messages.ChatroomsTarget{Chatrooms: []string{"r"}, Level: "urgent"}, messages.Text("x")},
		"no group":       {messages.ToGroupMembers("", "", "bob"), messages.Text("x")},
		"group id":       {messages.ToGroups("", "a/b"), messages.Text("x")},
		"no room member": {messages.ToChatroomMembers("", "r1"), messages.Text("x")},
	} {
		_, err := c.Messages.Send(ctx, tc.to, tc.m)
		invalid(t, err, name)
	}
	_, err := c.Messages.Broadcast(ctx, messages.AllUsers("admin"), big)
	invalid(t, err, "broadcast too large")
	_, err = c.Messages.Broadcast(ctx, nil, messages.Text("x"))
	invalid(t, err, "broadcast nil target")
	assert.Zero(t, srv.TokenRequests(), "nothing went out")

	res, err := c.Messages.Send(ctx, messages.ToUsers("", "bob"), justFits)
	require.NoError(t, err, "exactly 5 KB is allowed")
	assert.Equal(t, 1, res.Count(batch.Done))
}

// The server holds the same size rule: a body it finds too large answers
// 400 message_send_error with error_code 14007.
func TestServerRefusesALargeMessage(t *testing.T) {
	srv := easemobtest.NewServer(t)
	body := fmt.Sprintf(`{"to":["bob"],"type":"txt","body":{"msg":%q}}`, strings.Repeat("x", 6000))
	status, e := postJSON(t, srv.AppURL()+"/messages/users", appToken(t, srv), body)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "message_send_error", e["error"])
	assert.Equal(t, "message is too large", e["error_description"])
	assert.EqualValues(t, 14007, e["error_code"])
}

func appToken(t *testing.T, srv *easemobtest.Server) string {
	t.Helper()
	body := fmt.Sprintf(`{"grant_type":"client_credentials","client_id":%q,"client_secret":%q}`, srv.ClientID, srv.ClientSecret)
	resp, err := http.Post(srv.AppURL()+"/token", "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	return tok.AccessToken
}

// Each call of a split send pays for its own users: with room for 1000
// messages a minute, the first 600 go and the next 600 wait; a wait the
// call cannot afford leaves them not sent, and nothing is charged for them.
func TestSendChargesEachCallForItsTargets(t *testing.T) {
	c, srv := newClient(t, nil, ratelimit.Quota{Group: easemob.GroupMessagesSendUsers, Limits: []ratelimit.Limit{
		{Count: 100, Window: time.Second}, {Count: 1000, Window: time.Minute, Unit: ratelimit.Messages}}})
	res, err := c.Messages.Send(ctx, messages.ToUsers("admin", names("u", 1200)...), messages.Text("x"),
		option.MaxWait(50*time.Millisecond), option.Concurrency(1))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 600, be.Done)
	assert.Equal(t, 600, be.NotSent)
	assert.Equal(t, batch.NotSent, res.Items[600].Status)
	var wait *ratelimit.WaitError
	assert.ErrorAs(t, res.Items[600].Err, &wait)
	assert.Equal(t, []int{1, 600}, srv.Stats(easemob.GroupMessagesSendUsers).MaxInWindow)
}

// Over the server's message quota the send answers 403 message_send_error;
// it is a rate limit, and given up on it reports each target refused.
func TestSendOverTheServersMessageQuota(t *testing.T) {
	c, srv := newClient(t, []easemobtest.Option{easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupMessagesSendUsers,
		Limits: []ratelimit.Limit{{Count: 100, Window: time.Second}, {Count: 3, Window: time.Minute, Unit: ratelimit.Messages}}})})
	_, err := c.Messages.Send(ctx, messages.ToUsers("admin", "a", "b"), messages.Text("x"))
	require.NoError(t, err)
	res, err := c.Messages.Send(ctx, messages.ToUsers("admin", "c", "d"), messages.Text("x"), option.Retry(option.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond}))
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	for _, it := range res.Items {
		assert.Equal(t, batch.Failed, it.Status)
		assert.Equal(t, "message send reach limit", it.Reason)
	}
	assert.Equal(t, 1, srv.Stats(easemob.GroupMessagesSendUsers).QuotaExceeded, "not resent: the minute-long side has no room after a backoff")
}

// A send whose answer never came is reported Unknown, never resent: the
// server may have delivered it.
func TestSendNotResentAfterAnAmbiguousFailure(t *testing.T) {
	c, srv := newClient(t, nil)
	require.NoError(t, srv.InjectFault("messages.SendToUsers", easemobtest.Fault{Drop: easemobtest.DropAfterServer, Count: 1}))
	res, err := c.Messages.Send(ctx, messages.ToUsers("admin", names("u", 700)...), messages.Text("x"), option.Concurrency(1))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 600, be.Unknown)
	assert.Equal(t, 100, be.Done)
	assert.Equal(t, batch.Unknown, res.Items[0].Status)
	assert.Equal(t, 2, srv.OpStats("messages.SendToUsers").Received, "the dropped call was not resent")
}

// A target the answer leaves out is reported refused, not silently done.
func TestSendReportsTargetsTheAnswerOmits(t *testing.T) {
	c := answering(t, "messages.SendToUsers", http.StatusOK, `{"action":"post","data":{"alice":"1100000000000000001"}}`)
	res, err := c.Messages.Send(ctx, messages.ToUsers("admin", "alice", "bob"), messages.Text("x"))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, batch.Done, res.Items[0].Status)
	assert.Equal(t, batch.Failed, res.Items[1].Status)
	assert.Equal(t, "not in the server's answer", res.Items[1].Reason)
}

// Broadcasts return their ID; one to all users waits offline for whoever
// is not online. Their quotas are tiny: a second one within the window
// waits for quota, here refused at once.
func TestBroadcasts(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "alice", "bob")
	require.NoError(t, srv.SetOnline("bob"))
	id, err := c.Messages.Broadcast(ctx, messages.AllUsers("admin"), messages.Text("maintenance at 3"))
	require.NoError(t, err)
	assert.Positive(t, id)
	n, err := c.Users.OfflineMessageCount(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = c.Users.OfflineMessageCount(ctx, "bob")
	require.NoError(t, err)
	assert.Zero(t, n)

	_, err = c.Messages.Broadcast(ctx, messages.AllUsers("admin"), messages.Text("again"), option.NoWait())
	var wait *ratelimit.WaitError
	assert.ErrorAs(t, err, &wait, "one per 30 minutes")
	assert.Equal(t, 1, srv.Stats(easemob.GroupMessagesBroadcastToAllUsers).Received)

	other, err := c.Messages.Broadcast(ctx, messages.ChatroomsBroadcast{From: "alice", Level: messages.High}, messages.Custom("ev", nil))
	require.NoError(t, err)
	assert.NotEqual(t, id, other)
	_, err = c.Messages.Broadcast(ctx, messages.OnlineUsers(""), messages.Location(1, 2, "x"))
	require.NoError(t, err)
}

// The documented 403 daily caps of broadcasts are rate limits to callers.
func TestBroadcastDailyCapIsARateLimit(t *testing.T) {
	c := answering(t, "messages.BroadcastToChatrooms", http.StatusForbidden,
		`{"error":"forbidden_op","error_description":"chatroom broadcast limit exceeded"}`)
	_, err := c.Messages.Broadcast(ctx, messages.AllChatrooms(""), messages.Text("x"), option.Retry(option.RetryPolicy{MaxAttempts: 1}))
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.NotErrorIs(t, err, easemob.ErrForbidden)
}
