package messages_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/messages"
)

// A 2xx answer without what the op documents is a decoding error, never a
// made-up server error; a send reports its targets Unknown (the server may
// have delivered them).
func TestAnswersWithoutTheDocumentedShape(t *testing.T) {
	answer := func(body string) func(int, []byte) (int, []byte) {
		return func(int, []byte) (int, []byte) { return http.StatusOK, []byte(body) }
	}
	for name, tc := range map[string]struct {
		match func(*http.Request) bool
		body  string
		call  func(c *easemob.Client) error
	}{
		"send without data": {isCall(http.MethodPost, "/messages/users"), `{"action":"post"}`, func(c *easemob.Client) error {
			res, err := c.Messages.Send(ctx, messages.ToUsers("", "bob"), messages.Text("x"))
			if res != nil && res.Items[0].Status != batch.Unknown {
				return errors.New("not unknown")
			}
			return err
		}},
		"broadcast without id": {isCall(http.MethodPost, "/messages/broadcast"), `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.Broadcast(ctx, messages.AllUsers(""), messages.Text("x"))
			return err
		}},
		"stream without msgId": {isCall(http.MethodPost, "/stream_message/user"), `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.StreamToUser(ctx, messages.StreamParams{To: "bob"}, "x")
			return err
		}},
		"roaming not ok": {isCall(http.MethodPost, "/delete/all"), `{"requestStatusCode":"fail"}`, func(c *easemob.Client) error {
			return c.Messages.ClearRoaming(ctx, "bob")
		}},
		"reaction without data": {isCall(http.MethodPost, "/reaction/user/bob"), `{"requestStatusCode":"OK"}`, func(c *easemob.Client) error {
			_, err := c.Messages.AddReaction(ctx, "bob", "1", "x")
			return err
		}},
		"modify not success": {isCall(http.MethodPut, "/messages/rewrite/1"), `{"data":"failure"}`, func(c *easemob.Client) error {
			return c.Messages.Modify(ctx, "1", messages.Edit{Msg: messages.Text("x")})
		}},
		"history without url": {isCall(http.MethodGet, "/chatmessages/2024010100"), `{"data":[{}]}`, func(c *easemob.Client) error {
			_, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
			return err
		}},
		"history not a list": {isCall(http.MethodGet, "/chatmessages/2024010100"), `{"data":"x"}`, func(c *easemob.Client) error {
			_, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
			return err
		}},
		"translation empty": {isCall(http.MethodPost, "/translate"), `[]`, func(c *easemob.Client) error {
			_, err := c.Messages.Translate(ctx, "x", []string{"en"}, "")
			return err
		}},
		"import without id": {isCall(http.MethodPost, "/messages/users/import"), `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.ImportToUser(ctx, messages.Import{From: "a", To: "b", Msg: messages.Text("x")})
			return err
		}},
		"conversation not ok": {isCall(http.MethodDelete, "/user_channel"), `{"data":{"result":"no"}}`, func(c *easemob.Client) error {
			return c.Messages.DeleteConversation(ctx, "a", "b", messages.Chat, false)
		}},
		"upload without uuid": {isCall(http.MethodPost, "/chatfiles"), `{"entities":[{}]}`, func(c *easemob.Client) error {
			_, err := c.Messages.Upload(ctx, messages.Upload{Name: "a", Content: strings.NewReader("x")})
			return err
		}},
	} {
		c, _ := rewriting(t, tc.match, answer(tc.body))
		err := tc.call(c)
		assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, name)
		var apiErr *easemob.Error
		assert.False(t, errors.As(err, &apiErr), "%s: no made-up server error", name)
	}
}

// The history answer's data may come as the table documents it, one
// {url} object, instead of the example's list.
func TestHistoryFileTakesTheTablesShape(t *testing.T) {
	c, _ := rewriting(t, isCall(http.MethodGet, "/chatmessages/2024010100"), func(int, []byte) (int, []byte) {
		return http.StatusOK, []byte(`{"data":{"url":"https://oss/x?Expires=1700000000"}}`)
	})
	links, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
	require.NoError(t, err)
	require.Len(t, links, 1)
	assert.Equal(t, time.Unix(1700000000, 0), links[0].Expires)
}
