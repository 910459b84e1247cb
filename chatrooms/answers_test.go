package chatrooms_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/easemobtest"
)

// rewriting serves emu but lets edit change the answers of the requests
// match picks: a server that answers other than the docs say.
func rewriting(t *testing.T, emu *easemobtest.Emulator, match func(*http.Request) bool, edit func(body map[string]any)) *easemob.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !match(r) {
			emu.Handler().ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		emu.Handler().ServeHTTP(rec, r)
		var m map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m))
		edit(m)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(m)
	}))
	t.Cleanup(ts.Close)
	c, err := easemob.New(easemob.Config{BaseURL: ts.URL, AppKey: emu.AppKey(), ClientID: emu.ClientID(),
		ClientSecret: emu.ClientSecret(), Registry: easemob.NewRegistry()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func isCall(method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && strings.HasSuffix(r.URL.Path, suffix) }
}

// seeded is an emulator with a room of owner o and members m0..m69.
func seeded(t *testing.T) (*easemobtest.Emulator, string, []string) {
	emu := easemobtest.New()
	members, err := emu.AddUsers(70, "m", "pw")
	require.NoError(t, err)
	require.NoError(t, emu.AddUser("o", "pw"))
	id, err := emu.AddChatroom("o", members...)
	require.NoError(t, err)
	return emu, id, members
}

// A per-user answer that leaves a user out reports it failed, by name.
func TestBatchReportsUsersTheAnswerOmits(t *testing.T) {
	emu, id, members := seeded(t)
	c := rewriting(t, emu, isCall(http.MethodPost, "/blocks/users"), func(m map[string]any) {
		m["data"] = m["data"].([]any)[1:] // the server forgets the first user of each call
	})
	res, err := c.Chatrooms.BlockMembers(t.Context(), id, members)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{68, 2}, [2]int{be.Done, be.Failed})
	for _, i := range []int{0, 60} {
		assert.Equal(t, "failed: not in the server's answer", reasons(res)[members[i]], i)
	}
	assert.Empty(t, be.Errs, "the calls worked: only the users are failed")
}

// An attribute answer that leaves a key out reports it failed.
func TestAttributeAnswerOmittingAKey(t *testing.T) {
	emu, id, _ := seeded(t)
	c := rewriting(t, emu, isCall(http.MethodPut, "/user/m1"), func(m map[string]any) {
		data := m["data"].(map[string]any)
		data["successKeys"] = data["successKeys"].([]any)[1:]
	})
	res, err := c.Chatrooms.SetAttributes(t.Context(), id, "m1", map[string]string{"a": "1", "b": "2"}, "")
	require.Error(t, err)
	assert.Equal(t, map[chatrooms.Attribute]string{{Key: "a", Value: "1"}: "failed: not in the server's answer", {Key: "b", Value: "2"}: "done"}, reasons(res))
}

// Loose answers decode: a result given as a string, a list given as one object.
func TestLooseAnswers(t *testing.T) {
	emu, id, members := seeded(t)
	c := rewriting(t, emu, isCall(http.MethodDelete, "/white/users/m1,m2"), func(m map[string]any) {
		items := m["data"].([]any)
		items[0].(map[string]any)["result"] = "true"
		items[1].(map[string]any)["result"] = "false"
	})
	_, err := c.Chatrooms.AllowMembers(t.Context(), id, members[:3])
	require.NoError(t, err)
	res, err := c.Chatrooms.DisallowMembers(t.Context(), id, []string{"m1", "m2"})
	require.Error(t, err)
	assert.Equal(t, map[string]string{"m1": "done", "m2": "failed: " + "refused by the server without a reason"}, reasons(res))

	c = rewriting(t, emu, isCall(http.MethodGet, "/chatrooms"), func(m map[string]any) {
		m["data"] = m["data"].([]any)[0] // as the docs' abbreviated example shows it
	})
	page, err := c.Chatrooms.List(t.Context(), chatrooms.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Chatrooms, 1)
	assert.Equal(t, id, page.Chatrooms[0].ID)
}

// A 2xx answer without what the op documents is a decoding error, never
// a made-up server error.
func TestAnswersWithoutTheDocumentedShape(t *testing.T) {
	emu, id, members := seeded(t)
	drop := func(field string) func(map[string]any) {
		return func(m map[string]any) { delete(m, field) }
	}
	dropData := func(field string) func(map[string]any) {
		return func(m map[string]any) { delete(m["data"].(map[string]any), field) }
	}
	ctx := t.Context()
	for name, tc := range map[string]struct {
		match func(*http.Request) bool
		edit  func(map[string]any)
		call  func(c *easemob.Client) error
	}{
		"list without data": {isCall(http.MethodGet, "/chatrooms"), drop("data"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.List(ctx, chatrooms.ListParams{})
			return err
		}},
		"create without id": {isCall(http.MethodPost, "/chatrooms"), dropData("id"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o"})
			return err
		}},
		"add without newmembers": {isCall(http.MethodPost, "/users"), dropData("newmembers"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.AddMembers(ctx, id, members[:2])
			return err
		}},
		"single without result": {isCall(http.MethodPost, "/users/m1"), dropData("result"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.AddMember(ctx, id, "m1")
			return err
		}},
		"mute all without mute": {isCall(http.MethodPost, "/ban"), dropData("mute"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.MuteAll(ctx, id)
			return err
		}},
		"announcement without text": {isCall(http.MethodGet, "/announcement"), dropData("announcement"), func(c *easemob.Client) error {
			_, err := c.Chatrooms.GetAnnouncement(ctx, id)
			return err
		}},
		"revoke without user": {isCall(http.MethodDelete, "/super_admin/m1"), dropData("newSuperAdmin"), func(c *easemob.Client) error {
			return c.Chatrooms.RemoveSuperAdmin(ctx, "m1")
		}},
		"batch data not a list": {isCall(http.MethodPost, "/mute"), func(m map[string]any) { m["data"] = "ok" }, func(c *easemob.Client) error {
			_, err := c.Chatrooms.MuteMembers(ctx, id, members[:2], 0)
			return err
		}},
	} {
		c := rewriting(t, emu, tc.match, tc.edit)
		if name == "revoke without user" {
			_, err := c.Chatrooms.AddSuperAdmin(ctx, "m1")
			require.NoError(t, err)
		}
		err := tc.call(c)
		assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, name)
		var apiErr *easemob.Error
		assert.False(t, errors.As(err, &apiErr), "%s: no fabricated server error", name)
	}
}
