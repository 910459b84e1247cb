package easemobtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// Envelope fields of each documented example response (endpoints.json).
var (
	registerKeys = []string{"action", "application", "path", "uri", "entities", "timestamp", "duration", "organization", "applicationName"}
	entityKeys   = []string{"uuid", "type", "created", "modified", "username", "activated"}
)

func TestRegisterSingle(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	status, body := c.call("POST", "/users", map[string]any{"username": "Alice", "password": "pw", "nickname": "Al"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, registerKeys...)
	assert.Equal(t, "post", body["action"])
	assert.Equal(t, "/users", body["path"])
	assert.Equal(t, srv.AppURL()+"/users", body["uri"])
	ents := entities(t, body)
	require.Len(t, ents, 1)
	assertKeys(t, ents[0], append(entityKeys, "nickname")...)
	assert.Equal(t, "alice", ents[0]["username"], "stored lower-case")
	assert.Equal(t, "user", ents[0]["type"])
	assert.Equal(t, true, ents[0]["activated"])

	status, body = c.call("POST", "/users", user("ALICE"))
	assertError(t, status, body, 400, "duplicate_unique_property_exists", "")
	assert.Contains(t, body["error_description"], "requires that property named username be unique, value of alice exists")
}

func TestRegisterValidation(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	for _, tc := range []struct {
		body any
		desc string
	}{
		{map[string]any{"username": "bad name", "password": "pw"}, "username bad name is not legal"},
		{map[string]any{"username": "a@b.com", "password": "pw"}, "username a@b.com is not legal"},
		{map[string]any{"username": strings.Repeat("a", 65), "password": "pw"}, "username " + strings.Repeat("a", 65) + " is not legal"},
		{map[string]any{"username": "ok"}, "password or pin must provided"},
		{map[string]any{"username": "ok", "password": strings.Repeat("p", 65)}, ""},
		{map[string]any{"username": "ok", "password": "pw", "nickname": strings.Repeat("n", 101)}, "NICKNAME_TOO_LONG"},
	} {
		status, body := c.call("POST", "/users", tc.body)
		assertError(t, status, body, 400, "illegal_argument", tc.desc)
	}
	status, _ := c.call("POST", "/users", map[string]any{"username": strings.Repeat("a", 64), "password": "pw"})
	assert.Equal(t, http.StatusOK, status, "64 bytes is legal")
	status, body := c.call("POST", "/users", `{"username":`)
	assertError(t, status, body, 400, "json_parse", "")
}

func TestRegisterBatchPartialSuccess(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	status, body := c.call("POST", "/users", []any{user("bob"), user("Alice"), user("carol")})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, append(registerKeys, "data")...)
	assert.Equal(t, []string{"bob", "carol"}, usernames(t, body))
	assert.Equal(t, []any{map[string]any{"username": "alice", "registerUserFailReason": "the alice already exists"}}, body["data"])

	status, body = c.call("POST", "/users", []any{user("dave")})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, []any{}, body["data"], "data is [] when nothing failed")

	status, body = c.call("POST", "/users", []any{map[string]any{"username": "x", "password": "1"}, map[string]any{"username": "X", "password": "2"}})
	assertError(t, status, body, 400, "duplicate_unique_property_exists", "")
	assert.Equal(t, 3, srv.Stats("users.account_write").Received)
}

func TestRegisterBatchTooLarge(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	batch := make([]any, 61)
	for i := range batch {
		batch[i] = user(fmt.Sprintf("u%d", i))
	}
	status, body := c.call("POST", "/users", batch)
	assertError(t, status, body, 400, "illegal_argument",
		"Request body array size[61] had almost reached or been greater than the upper range value[60]")
	status, body = c.call("POST", "/users", batch[:60])
	assert.Equal(t, http.StatusOK, status)
	assert.Len(t, entities(t, body), 60)
}

func TestUserLimit(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithUserLimit(2))
	c := newClient(t, srv)
	status, _ := c.call("POST", "/users", []any{user("a"), user("b")})
	require.Equal(t, http.StatusOK, status)
	status, body := c.call("POST", "/users", user("c"))
	assertError(t, status, body, 429, "resource_limited", "You have exceeded the limit of the Free edition. Please upgrade to higher edition.")
	assert.Zero(t, srv.TotalRateLimited(), "a plan quota is not a rate limit")
}

func TestOpenRegistration(t *testing.T) {
	closed := easemobtest.NewServer(t)
	c := &client{t: t, srv: closed}
	status, body := c.send("POST", "/users", user("a"), "")
	assertError(t, status, body, 401, "unauthorized", "Open registration doesn't allow, so register user need token")

	open := easemobtest.NewServer(t, easemobtest.WithOpenRegistration())
	c = &client{t: t, srv: open}
	status, body = c.send("POST", "/users", user("a"), "")
	assert.Equal(t, http.StatusOK, status, body)
}

func TestGetUser(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	status, body := c.call("GET", "/users/ALICE", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "path", "uri", "entities", "timestamp", "duration", "count")
	assert.Equal(t, json.Number("1"), body["count"])
	assert.Equal(t, []string{"alice"}, usernames(t, body))

	status, body = c.call("GET", "/users/nobody", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "Service resource not found")
	assert.Equal(t, "UserNotFoundException", body["exception"])
}

func TestListPagingWalksAllUsersOnce(t *testing.T) {
	srv := easemobtest.NewServer(t)
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("user%02d", i)
		require.NoError(t, srv.AddUser(name, "pw"))
		want = append(want, name)
	}
	c := newClient(t, srv)

	var got []string
	cursor, pages := "", 0
	for {
		path := "/users?limit=7"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		status, body := c.call("GET", path, nil)
		require.Equal(t, http.StatusOK, status, body)
		pages++
		got = append(got, usernames(t, body)...)
		assert.Equal(t, json.Number(fmt.Sprint(len(entities(t, body)))), body["count"])
		next, ok := body["cursor"].(string)
		if !ok {
			assertKeys(t, body, "action", "params", "path", "uri", "entities", "timestamp", "duration", "count")
			break
		}
		assertKeys(t, body, "action", "params", "path", "uri", "entities", "timestamp", "duration", "cursor", "count")
		cursor = next
	}
	assert.Equal(t, want, got, "creation order, each user once")
	assert.Equal(t, 4, pages)

	_, body := c.call("GET", "/users", nil)
	assert.Len(t, entities(t, body), 10, "limit defaults to 10")
	assert.NotContains(t, body, "params", "no query, no params")
	_, body = c.call("GET", "/users?limit=500", nil)
	assert.Len(t, entities(t, body), 25, "limit is capped, not refused")
	assert.Equal(t, map[string]any{"limit": []any{"500"}}, body["params"])

	status, body := c.call("GET", "/users?cursor=bogus", nil)
	assertError(t, status, body, 400, "illegal_argument", "")
}

func TestDeleteUser(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	status, body := c.call("DELETE", "/users/alice", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, registerKeys...)
	assert.Equal(t, "delete", body["action"])
	assert.Equal(t, []string{"alice"}, usernames(t, body))

	status, body = c.call("DELETE", "/users/alice", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestDeletedUsersLoseTheirTokens(t *testing.T) {
	srv := easemobtest.NewServer(t)
	names, err := srv.AddUsers(3, "u", "pw")
	require.NoError(t, err)
	assert.Equal(t, []string{"u0", "u1", "u2"}, names)
	c := newClient(t, srv)
	tokens := map[string]string{}
	for _, n := range names {
		_, body := c.send("POST", "/token", map[string]any{"grant_type": "password", "username": n, "password": "pw"}, "")
		tokens[n] = body["access_token"].(string)
	}
	status, _ := c.call("DELETE", "/users/u0", nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = c.call("DELETE", "/users?limit=1", nil)
	require.Equal(t, http.StatusOK, status)
	for n, tok := range tokens {
		status, body := c.send("GET", "/metadata/user/"+n, nil, tok)
		if n == "u2" {
			assert.Equal(t, http.StatusOK, status, "u2's token still works")
			continue
		}
		assertError(t, status, body, 401, "unauthorized", "Unable to authenticate (OAuth)")
	}
	_, err = srv.AddUsers(3, "u", "pw")
	assert.ErrorContains(t, err, "the u2 already exists")
	status, _ = c.call("GET", "/users/u0", nil)
	assert.Equal(t, http.StatusNotFound, status, "AddUsers registers all or nothing")
	_, err = srv.AddUsers(1, "bad name", "pw")
	assert.Error(t, err)
}

func TestDeleteBatchDeletesEarliest(t *testing.T) {
	srv := easemobtest.NewServer(t)
	for _, n := range []string{"u1", "u2", "u3", "u4", "u5"} {
		require.NoError(t, srv.AddUser(n, "pw"))
	}
	c := newClient(t, srv)
	status, body := c.call("DELETE", "/users?limit=2", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, append(registerKeys, "params", "cursor")...)
	assert.Equal(t, []string{"u1", "u2"}, usernames(t, body))

	_, body = c.call("DELETE", "/users?limit=2&cursor="+body["cursor"].(string), nil)
	assert.Equal(t, []string{"u3", "u4"}, usernames(t, body))
	_, body = c.call("GET", "/users", nil)
	assert.Equal(t, []string{"u5"}, usernames(t, body))
	assert.Equal(t, 2, srv.Stats("users.delete_batch").Accepted)
}

func TestChangePassword(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "old"))
	c := newClient(t, srv)
	_, body := c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "old"}, "")
	userToken := body["access_token"].(string)

	status, body := c.call("PUT", "/users/alice/password", map[string]any{"newpassword": "new"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "timestamp", "duration")
	assert.Equal(t, "set user password", body["action"])

	status, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "old"}, "")
	assertError(t, status, body, 400, "invalid_grant", "invalid password")
	status, _ = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "new"}, "")
	assert.Equal(t, http.StatusOK, status)
	status, body = c.send("GET", "/metadata/user/alice", nil, userToken)
	assertError(t, status, body, 401, "unauthorized", "") // the old user token is revoked

	status, body = c.call("PUT", "/users/alice/password", map[string]any{})
	assertError(t, status, body, 400, "illegal_argument", "newpassword is required")
	status, body = c.call("PUT", "/users/nobody/password", map[string]any{"newpassword": "x"})
	assertError(t, status, body, 404, "entity_not_found", "User null not found")
}

func TestStatus(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddUser("bob", "pw"))
	c := newClient(t, srv)

	status, body := c.call("GET", "/users/alice/status", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "uri", "entities", "data", "timestamp", "duration", "count")
	assert.Equal(t, map[string]any{"alice": "offline"}, body["data"])
	assert.Equal(t, []any{}, body["entities"])

	require.NoError(t, srv.SetOnline("Alice"))
	_, body = c.call("GET", "/users/alice/status", nil)
	assert.Equal(t, map[string]any{"alice": "online"}, body["data"])
	assert.Error(t, srv.SetOnline("nobody"))
	require.NoError(t, srv.SetOffline("bob"))
	assert.Error(t, srv.SetOffline("nobody"))

	status, body = c.call("POST", "/users/batch/status", map[string]any{"usernames": []string{"alice", "bob", "ghost"}})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "data", "timestamp", "duration")
	assert.Equal(t, "get batch user status", body["action"])
	assert.Equal(t, []any{
		map[string]any{"alice": "online"}, map[string]any{"bob": "offline"}, map[string]any{"ghost": "offline"},
	}, body["data"])

	status, body = c.call("GET", "/users/ghost/status", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
	status, body = c.call("POST", "/users/batch/status", map[string]any{"usernames": make([]string, 101)})
	assertError(t, status, body, 400, "illegal_argument", "request body exceeds maximum limit, maximum limit is 100")
}

func TestOfflineMessages(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	status, body := c.call("GET", "/users/alice/offline_msg_count", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "uri", "entities", "data", "timestamp", "duration", "count")
	assert.Equal(t, map[string]any{"alice": json.Number("0")}, body["data"])

	status, body = c.call("GET", "/users/alice/offline_msg_status/123", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "uri", "entities", "data", "timestamp", "duration", "count")
	assert.Equal(t, map[string]any{"123": "delivered"}, body["data"])

	status, body = c.call("GET", "/users/ghost/offline_msg_count", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
}

func TestDeactivateActivate(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.SetOnline("alice"))
	c := newClient(t, srv)

	status, body := c.call("POST", "/users/alice/deactivate", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "entities", "timestamp", "duration")
	assert.Equal(t, "Deactivate user", body["action"])
	assert.Equal(t, false, entities(t, body)[0]["activated"])
	_, body = c.call("GET", "/users/alice/status", nil)
	assert.Equal(t, map[string]any{"alice": "offline"}, body["data"], "kicked offline")
	status, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "pw"}, "")
	assertError(t, status, body, 400, "invalid_grant", "user not activated")

	status, body = c.call("POST", "/users/alice/activate", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "timestamp", "duration")
	assert.Equal(t, "activate user", body["action"])
	_, body = c.call("GET", "/users/alice", nil)
	assert.Equal(t, true, entities(t, body)[0]["activated"])

	status, body = c.call("POST", "/users/ghost/deactivate", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
	status, body = c.call("POST", "/users/ghost/activate", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
}

func TestDevices(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.SetOnline("alice", "android_1", "ios_2"))
	c := newClient(t, srv)

	status, body := c.call("GET", "/users/alice/resources", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "path", "uri", "timestamp", "organization", "application", "entities", "action", "data", "duration", "applicationName")
	assert.Equal(t, "/users/alice/resources", body["path"])
	data := body["data"].([]any)
	require.Len(t, data, 2)
	assertKeys(t, data[0].(map[string]any), "res", "device_uuid", "device_name")
	assert.Equal(t, "android_1", data[0].(map[string]any)["res"])

	status, body = c.call("DELETE", "/users/alice/disconnect/android_1", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "uri", "timestamp", "organization", "application", "entities", "action", "data", "duration", "applicationName")
	assert.Equal(t, map[string]any{"result": true}, body["data"])
	_, body = c.call("GET", "/users/alice/resources", nil)
	assert.Len(t, body["data"], 1)

	status, body = c.call("GET", "/users/alice/disconnect", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "uri", "entities", "data", "timestamp", "duration", "count")
	assert.Equal(t, map[string]any{"result": true}, body["data"])
	_, body = c.call("GET", "/users/alice/status", nil)
	assert.Equal(t, map[string]any{"alice": "offline"}, body["data"])
	_, body = c.call("GET", "/users/alice/resources", nil)
	assert.Equal(t, []any{}, body["data"])

	for _, path := range []string{"/users/ghost/disconnect", "/users/ghost/resources"} {
		status, body = c.call("GET", path, nil)
		assertError(t, status, body, 404, "service_resource_not_found", "")
	}
	status, body = c.call("DELETE", "/users/ghost/disconnect/android_1", nil)
	assertError(t, status, body, 404, "service_resource_not_found", "")
}
