package easemobtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// The documented refusals, in the server's words, for what the SDK would
// never send.
func TestUserAreaRefusals(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "u" + strings.Repeat("x", i%5)
		}
		return out
	}
	nicknames := make([]map[string]string, 51)
	for i := range nicknames {
		nicknames[i] = map[string]string{"username": "alice", "push_nickname": "n"}
	}
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		code, desc   string
	}{
		{"GET", "/user/alice/contacts?limit=51", nil, 400, "illegal_argument", "getContacts | page size more than max limit : 50"},
		{"POST", "/users/alice/contacts/import", map[string]any{"usernames": many(11)}, 400, "illegal_argument", "request user over flow limit:10."},
		{"POST", "/contacts/check", map[string]any{"username": "", "check_list": []string{"a"}}, 400, "illegal_argument", "username cannot be blank"},
		{"POST", "/blocks/check", map[string]any{"username": "alice", "check_list": []string{}}, 400, "illegal_argument", "check_list size must be between 1 and 100"},
		{"POST", "/contacts/check", map[string]any{"username": "alice", "check_list": many(101)}, 400, "illegal_argument", "check_list size must be between 1 and 100"},
		{"PUT", "/push/nickname", []any{}, 400, "illegal_argument", "put user push nicknames illegal empty request body"},
		{"PUT", "/push/nickname", nicknames, 400, "illegal_argument", "put user push nicknames exceeds the limit"},
		{"PUT", "/push/nickname", []any{map[string]string{"username": "alice", "push_nickname": strings.Repeat("n", 101)}}, 400, "illegal_argument", "alice push nickname length exceeds the limit"},
		{"PUT", "/users/alice", map[string]any{"nickname": strings.Repeat("n", 101)}, 400, "illegal_argument", "NICKNAME_TOO_LONG"},
		{"PUT", "/users/alice/notification/user/alice", map[string]any{"type": "DEFAULT"}, 400, "IllegalArgumentException", "parameters is invalid : type DEFAULT is for conversations"},
		{"PUT", "/users/alice/notification/chatgroup/g1", map[string]any{"ignoreInterval": "08:00-09:00"}, 400, "IllegalArgumentException", "parameters is invalid : ignoreInterval is for the app-wide setting"},
		{"GET", "/notification/template/nope", nil, 400, "EntityNotFoundException", "nope template is not exist"},
		{"POST", "/metadata/user/get", map[string]any{"targets": many(101), "properties": []string{"a"}}, 400, "BAD_REQUEST", "exceed allowed batch size 100"},
		{"PUT", "/metadata/user/alice", map[string]any{"nickname": "a"}, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type 'application/json' is not supported."},
		{"GET", "/users/alice/collections?limit=201", nil, 400, "illegal_argument", "limit should be less than 200"},
		{"GET", "/users/alice/collections?direction=up", nil, 400, "illegal_argument", "direction should be desc or asc"},
		{"DELETE", "/users/alice/collections", map[string]any{"collection_ids": []string{"nope"}}, 400, "illegal_argument", "user collection not found"},
		{"POST", "/mutes", map[string]any{"username": "ghost", "chat": 10}, 400, "required_property_not_found", "Entity user requires a property named username"},
		{"POST", "/users/alice/blocks/users", map[string]any{"usernames": []string{"ghost"}}, 404, "service_resource_not_found", "Service resource not found"},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		assertError(t, status, body, tc.status, tc.code, tc.desc)
	}
}

// The answers carry the fields of the docs' examples, envelope and all.
func TestUserAreaAnswerShapes(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddUser("bob", "pw"))
	require.NoError(t, srv.AddContacts("alice", "bob"))
	c := newClient(t, srv)

	status, body := c.call("PUT", "/user/alice/contacts/users/bob", map[string]any{"remark": "r"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "duration", "status", "timestamp", "uri")
	_, body = c.call("POST", "/users/alice/contacts/import", map[string]any{"usernames": []string{"bob"}})
	assertKeys(t, body, "status", "timestamp", "action", "data", "duration")
	assertKeys(t, body["data"].(map[string]any), "success", "NotExistFailed", "maxLimitFailed", "UnKnowFailed")
	_, body = c.call("GET", "/user/alice/contacts?limit=1&needReturnRemark=true", nil)
	assertKeys(t, body, "uri", "timestamp", "entities", "count", "action", "data", "duration")
	assert.Equal(t, []any{map[string]any{"remark": "r", "username": "bob"}}, body["data"].(map[string]any)["contacts"])
	_, body = c.call("GET", "/users/alice/contacts/users", nil)
	assertKeys(t, body, "action", "uri", "entities", "data", "timestamp", "duration", "count")

	_, body = c.call("PUT", "/users/alice/push/binding", map[string]any{"device_id": "d", "device_token": "t", "notifier_name": "n"})
	assertKeys(t, body, "timestamp", "entities", "action", "duration")
	_, body = c.call("GET", "/mutes/alice", nil)
	assertKeys(t, body, "path", "uri", "timestamp", "organization", "application", "action", "data", "duration", "applicationName")
	assertKeys(t, body["data"].(map[string]any), "userid", "chat", "groupchat", "chatroom", "unixtime")

	form, err := http.NewRequest("PUT", srv.AppURL()+"/metadata/user/alice", strings.NewReader("nickname=a&ext=b%26c"))
	require.NoError(t, err)
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	form.Header.Set("Authorization", "Bearer "+c.token)
	status, body = c.do(form)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "timestamp", "data", "duration")
	assert.Equal(t, map[string]any{"nickname": "a", "ext": "b&c"}, body["data"])
	_, body = c.call("GET", "/metadata/user/capacity", nil)
	assertKeys(t, body, "timestamp", "data", "duration")

	_, body = c.call("POST", "/users/alice/collections", map[string]any{"data": "d", "type": 1})
	assertKeys(t, body, "collection")
	assertKeys(t, body["collection"].(map[string]any), "id", "type", "data", "ext", "createdAt", "updatedAt")

	status, body = c.call("GET", "/push/data/offline-push/begin/2024-04-01/end/2024-04-02?platform=ALL", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "status", "data")
}

// PUT /users/{username} applies every setting its body names; the
// catalog's selectors name the op.
func TestUserSettingsShareOneRoute(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	status, body := c.call("PUT", "/users/alice", map[string]any{"nickname": "Al", "notification_display_style": 1})
	require.Equal(t, http.StatusOK, status, body)
	u := entities(t, body)[0]
	assert.Equal(t, "Al", u["nickname"])
	assert.Equal(t, "1", u["notification_display_style"].(interface{ String() string }).String())
	_, body = c.call("PUT", "/users/alice", map[string]any{"notification_no_disturbing": true,
		"notification_no_disturbing_start": "1", "notification_no_disturbing_end": "3"})
	u = entities(t, body)[0]
	assert.Equal(t, true, u["notification_no_disturbing"])
	assert.Equal(t, "3", u["notification_no_disturbing_end"].(interface{ String() string }).String(), "the hours come back as numbers")
	_, _ = c.call("PUT", "/users/alice", map[string]any{"notification_display_style": 0})

	assert.Equal(t, 1, srv.OpStats("push.SetNickname").Accepted)
	assert.Equal(t, 1, srv.OpStats("push.SetNoDisturbLegacy").Accepted)
	assert.Equal(t, 1, srv.OpStats("push.SetDisplayStyle").Accepted)

	// A user token acts on its own attributes only.
	_, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "pw"}, "")
	tok := body["access_token"].(string)
	status, _ = c.send("GET", "/metadata/user/alice", nil, tok)
	assert.Equal(t, http.StatusOK, status)
	require.NoError(t, srv.AddUser("bob", "pw"))
	status, body = c.send("DELETE", "/metadata/user/bob", nil, tok)
	assertError(t, status, body, 401, "metadata_error", "auth error")
}
