package users_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/emutest"
	"github.com/emquota/easemob/users"
)

// rewriting serves the emulator but lets edit change the answer of the
// requests match picks: a server that answers differently from the docs.
func rewriting(t *testing.T, match func(*http.Request) bool, edit func(status int, body []byte) (int, []byte)) *easemob.Client {
	c, _ := emutest.Rewriting(t, match, edit)
	return c
}

func isCall(method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && strings.HasSuffix(r.URL.Path, suffix) }
}

// A registration answer that leaves an account out reports it failed; it
// is not silently dropped.
func TestRegisterBatchReportsAccountsTheAnswerOmits(t *testing.T) {
	c := rewriting(t, isCall(http.MethodPost, "/users"), func(status int, body []byte) (int, []byte) {
		var m map[string]any
		require.NoError(t, json.Unmarshal(body, &m))
		ents := m["entities"].([]any)
		m["entities"] = ents[1:] // the server forgets the first account of each call
		out, _ := json.Marshal(m)
		return status, out
	})
	res, err := c.Users.RegisterBatch(context.Background(), newUsers("o", 70))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 2, be.Failed)
	assert.Equal(t, 68, be.Done)
	for _, i := range []int{0, 60} {
		assert.Equal(t, batch.Failed, res.Items[i].Status, i)
		assert.Equal(t, "not in the server's answer", res.Items[i].Reason)
	}
}

// A 2xx answer without what the op documents is a decoding error, never a
// made-up server error.
func TestAnswersWithoutTheDocumentedShape(t *testing.T) {
	ctx := context.Background()
	noEntities := func(int, []byte) (int, []byte) { return http.StatusOK, []byte(`{"entities":[],"action":"get"}`) }
	notJSON := func(int, []byte) (int, []byte) { return http.StatusOK, []byte("OK") }
	answer := func(body string) func(int, []byte) (int, []byte) {
		return func(int, []byte) (int, []byte) { return http.StatusOK, []byte(body) }
	}
	for name, tc := range map[string]struct {
		match func(*http.Request) bool
		edit  func(int, []byte) (int, []byte)
		call  func(c *easemob.Client) error
	}{
		"register without entity": {isCall(http.MethodPost, "/users"), noEntities, func(c *easemob.Client) error {
			_, err := c.Users.Register(ctx, users.NewUser{Username: "r1", Password: "p"})
			return err
		}},
		"get without entity": {isCall(http.MethodGet, "/users/g1"), noEntities, func(c *easemob.Client) error {
			_, err := c.Users.Get(ctx, "g1")
			return err
		}},
		"activate not JSON": {isCall(http.MethodPost, "/activate"), notJSON, func(c *easemob.Client) error {
			return c.Users.Activate(ctx, "a1")
		}},
		"status without the user": {isCall(http.MethodGet, "/status"), func(int, []byte) (int, []byte) {
			return http.StatusOK, []byte(`{"data":{"someone_else":"online"}}`)
		}, func(c *easemob.Client) error { _, err := c.Users.Online(ctx, "s1"); return err }},
		"favorite without collection": {isCall(http.MethodPost, "/collections"), noEntities, func(c *easemob.Client) error {
			_, err := c.Users.AddFavorite(ctx, "f1", users.NewFavorite{Data: "d"})
			return err
		}},
		"remark without status ok": {isCall(http.MethodPut, "/contacts/users/b"), answer(`{"status":"failed"}`), func(c *easemob.Client) error {
			return c.Users.SetContactRemark(ctx, "a", "b", "r")
		}},
		"contacts page without data": {isCall(http.MethodGet, "/contacts"), noEntities, func(c *easemob.Client) error {
			_, err := c.Users.ContactsPage(ctx, "a", users.ContactListParams{})
			return err
		}},
		"blocklist without data": {isCall(http.MethodGet, "/blocks/users"), noEntities, func(c *easemob.Client) error {
			_, err := c.Users.Blocked(ctx, "a", users.BlockListParams{})
			return err
		}},
		"mute not ok": {isCall(http.MethodPost, "/mutes"), answer(`{"data":{"result":"no"}}`), func(c *easemob.Client) error {
			return c.Users.SetMute(ctx, "a", users.MuteUpdate{})
		}},
		"attributes delete false": {isCall(http.MethodDelete, "/metadata/user/a"), answer(`{"data":false}`), func(c *easemob.Client) error {
			return c.Users.DeleteAttributes(ctx, "a")
		}},
		"token without access_token": {isCall(http.MethodPost, "/token"), answer(`{"expires_in":1}`), func(c *easemob.Client) error {
			_, err := c.Users.Token(ctx, "a", "pw", 0)
			return err
		}},
		"favorites delete without result": {isCall(http.MethodDelete, "/collections"), answer(`{}`), func(c *easemob.Client) error {
			_, err := c.Users.DeleteFavorites(ctx, "a", []string{"x"})
			var be *batch.Error
			if errors.As(err, &be) && len(be.Errs) == 1 {
				return be.Errs[0]
			}
			return err
		}},
	} {
		c := rewriting(t, tc.match, tc.edit)
		err := tc.call(c)
		assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, name)
		var apiErr *easemob.Error
		assert.False(t, errors.As(err, &apiErr), "%s: no fabricated server error", name)
	}
}
