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
	for name, tc := range map[string]struct {
		op   string
		body string
		call func(c *easemob.Client) error
	}{
		"send without data": {"messages.SendToUsers", `{"action":"post"}`, func(c *easemob.Client) error {
			res, err := c.Messages.Send(ctx, messages.ToUsers("", "bob"), messages.Text("x"))
			if res != nil && res.Items[0].Status != batch.Unknown {
				return errors.New("not unknown")
			}
			return err
		}},
		"broadcast without id": {"messages.BroadcastToAllUsers", `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.Broadcast(ctx, messages.AllUsers(""), messages.Text("x"))
			return err
		}},
		"stream without msgId": {"messages.SendStreamToUser", `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.StreamToUser(ctx, messages.StreamParams{To: "bob"}, "x")
			return err
		}},
		"roaming not ok": {"roaming.ClearUser", `{"requestStatusCode":"fail"}`, func(c *easemob.Client) error {
			return c.Messages.ClearRoaming(ctx, "bob")
		}},
		"reaction without data": {"reactions.Add", `{"requestStatusCode":"OK"}`, func(c *easemob.Client) error {
			_, err := c.Messages.AddReaction(ctx, "bob", "1", "x")
			return err
		}},
		"modify not success": {"messages.Modify", `{"data":"failure"}`, func(c *easemob.Client) error {
			return c.Messages.Modify(ctx, "1", messages.Edit{Msg: messages.Text("x")})
		}},
		"history without url": {"messages.GetHistoryFile", `{"data":[{}]}`, func(c *easemob.Client) error {
			_, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
			return err
		}},
		"history not a list": {"messages.GetHistoryFile", `{"data":"x"}`, func(c *easemob.Client) error {
			_, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
			return err
		}},
		"translation empty": {"translate.Text", `[]`, func(c *easemob.Client) error {
			_, err := c.Messages.Translate(ctx, "x", []string{"en"}, "")
			return err
		}},
		"import without id": {"messages.ImportToUser", `{"data":{}}`, func(c *easemob.Client) error {
			_, err := c.Messages.ImportToUser(ctx, messages.Import{From: "a", To: "b", Msg: messages.Text("x")})
			return err
		}},
		"conversation not ok": {"conversations.DeleteForUser", `{"data":{"result":"no"}}`, func(c *easemob.Client) error {
			return c.Messages.DeleteConversation(ctx, "a", "b", messages.Chat, false)
		}},
		"upload without uuid": {"files.Upload", `{"entities":[{}]}`, func(c *easemob.Client) error {
			_, err := c.Messages.Upload(ctx, messages.Upload{Name: "a", Content: strings.NewReader("x")})
			return err
		}},
	} {
		c := answering(t, tc.op, http.StatusOK, tc.body)
		err := tc.call(c)
		assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, name)
		var apiErr *easemob.Error
		assert.False(t, errors.As(err, &apiErr), "%s: no made-up server error", name)
	}
}

// The history answer's data may come as the table documents it, one
// {url} object, instead of the example's list.
func TestHistoryFileTakesTheTablesShape(t *testing.T) {
	c := answering(t, "messages.GetHistoryFile", http.StatusOK, `{"data":{"url":"https://oss/x?Expires=1700000000"}}`)
	links, err := c.Messages.HistoryFile(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, messages.Beijing), nil)
	require.NoError(t, err)
	require.Len(t, links, 1)
	assert.Equal(t, time.Unix(1700000000, 0), links[0].Expires)
}
