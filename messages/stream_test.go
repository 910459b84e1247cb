package messages_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/messages"
)

// searchText returns the text of the messages user finds for keyword.
func searchText(t *testing.T, c *easemob.Client, user, keyword string) []string {
	t.Helper()
	page, err := c.Messages.Search(ctx, user, messages.SearchQuery{Keywords: []string{keyword}})
	require.NoError(t, err)
	var out []string
	for _, h := range page.Hits {
		var content struct {
			Message string `json:"message"`
		}
		if h.ContentType == "text" {
			require.NoError(t, jsonUnmarshal(h.Content, &content))
		}
		out = append(out, content.Message)
	}
	return out
}

// A stream sends its chunks in order under one message ID, and finishes
// cleanly: the message holds the whole text, and the stream takes no more.
func TestStreamSendsChunksInOrderAndFinishes(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "bob")
	st, err := c.Messages.StreamToUser(ctx, messages.StreamParams{To: "bob", Ext: map[string]any{"ai": true}}, "The answer ")
	require.NoError(t, err)
	id := st.MsgID()
	require.NotEmpty(t, id)
	for _, part := range []string{"is ", "forty", "-two"} {
		require.NoError(t, st.Write(ctx, part))
	}
	require.NoError(t, st.Finish(ctx, ".", 1))
	assert.NoError(t, st.Err())
	assert.ErrorIs(t, st.Write(ctx, "more"), messages.ErrStreamClosed)
	assert.ErrorIs(t, st.Finish(ctx, "", 0), messages.ErrStreamClosed)
	assert.Equal(t, id, st.MsgID())
	assert.Equal(t, 5, srv.OpStats("messages.SendStreamToUser").Accepted, "one call a chunk, nothing after the finish")
	assert.Equal(t, []string{"The answer is forty-two."}, searchText(t, c, "bob", "forty"))

	n, err := c.Users.OfflineMessageCount(ctx, "bob")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "one message, kept for the offline receiver")
}

// A chunk that would pass 128 KB is refused before any quota, and the
// stream stays usable.
func TestStreamRefusesTooMuchText(t *testing.T) {
	c, srv := newClient(t, nil)
	st, err := c.Messages.StreamToGroup(ctx, messages.StreamParams{From: "bot", To: "g1"}, strings.Repeat("a", 100<<10))
	require.NoError(t, err)
	invalid(t, st.Write(ctx, strings.Repeat("b", 30<<10)), "over 128 KB")
	assert.Equal(t, 1, srv.OpStats("messages.SendStreamToGroup").Received)
	require.NoError(t, st.Finish(ctx, "done", 0))
}

// The server ends a stream whose chunks come too far apart (here its
// clock jumps 31 s): the SDK reports the server's error and closes it.
func TestStreamEndedByTheServer(t *testing.T) {
	clk, opt := newClock(time.Now())
	c, _ := newClient(t, []easemobtest.Option{opt})
	st, err := c.Messages.StreamToUser(ctx, messages.StreamParams{To: "bob"}, "a")
	require.NoError(t, err)
	clk.add(31 * time.Second)
	err = st.Write(ctx, "b")
	_ = apiError(t, err, 400, "message_send_error", "stream message chunk interval timeout")
	assert.Error(t, st.Err())
	assert.ErrorIs(t, st.Write(ctx, "c"), messages.ErrStreamClosed)
}

// The server's chunk rules, as a client that breaks them meets them.
func TestStreamRulesOfTheServer(t *testing.T) {
	srv := easemobtest.NewServer(t)
	tok := appToken(t, srv)
	post := func(body string) map[string]any {
		status, m := postJSON(t, srv.AppURL()+"/stream_message/user", tok, body)
		m["status"] = status
		return m
	}
	first := post(`{"to":"bob","body":{"msg":"a","seq":0}}`)
	require.EqualValues(t, 200, first["status"])
	id := first["data"].(map[string]any)["msgId"].(string)
	for body, code := range map[string]float64{
		`{"from":"","to":"bob","body":{"msg":"a","seq":1}}`:                         14001,
		`{"body":{"msg":"a","seq":1}}`:                                              14002,
		`{"to":"bob"}`:                                                              14005,
		`{"to":"bob","body":{"msg":"a"}}`:                                           14030,
		`{"to":"bob","body":{"msgId":"1","msg":"a","seq":1}}`:                       14031,
		`{"from":"eve","to":"bob","body":{"msgId":"` + id + `","msg":"a","seq":1}}`: 14036,
		`{"to":"carl","body":{"msgId":"` + id + `","msg":"a","seq":1}}`:             14037,
		`{"to":"bob","body":{"msgId":"` + id + `","msg":"a","seq":0}}`:              14038,
	} {
		got := post(body)
		assert.EqualValues(t, 400, got["status"], body)
		assert.Equal(t, code, got["error_code"], body)
	}
	require.EqualValues(t, 200, post(`{"to":"bob","body":{"msgId":"` + id + `","msg":"b","seq":5,"finish":true,"finishReason":0}}`)["status"])
	assert.Equal(t, float64(14035), post(`{"to":"bob","body":{"msgId":"` + id + `","msg":"c","seq":6}}`)["error_code"])
}

func TestStreamRefusesBadParams(t *testing.T) {
	c, srv := newClient(t, nil)
	_, err := c.Messages.StreamToUser(ctx, messages.StreamParams{To: ""}, "x")
	invalid(t, err, "no receiver")
	_, err = c.Messages.StreamToUser(ctx, messages.StreamParams{From: "a b", To: "bob"}, "x")
	invalid(t, err, "bad sender")
	_, err = c.Messages.StreamToGroup(ctx, messages.StreamParams{To: "g1"}, strings.Repeat("x", messages.MaxStreamBytes+1))
	invalid(t, err, "first chunk too long")
	assert.Zero(t, srv.TokenRequests())
}
