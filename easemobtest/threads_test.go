package easemobtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// newThread creates a thread owned by alice in group g1 and returns its id.
func newThread(t *testing.T, srv *easemobtest.Server, c *client, msg string) string {
	t.Helper()
	if _, err := srv.AddUsers(1, "alice", "pw"); err != nil && !strings.Contains(err.Error(), "exists") {
		require.NoError(t, err)
	}
	if err := srv.AddGroupWithID("17", "alice0"); err != nil && !strings.Contains(err.Error(), "exists") {
		require.NoError(t, err)
	}
	// The docs' example sends the ids as numbers; the server takes them.
	status, body := c.call("POST", "/thread", map[string]any{"group_id": 17, "name": "t", "msg_id": msg, "owner": "alice0"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "applicationName", "duration", "data", "organization", "timestamp", "uri")
	return body["data"].(map[string]any)["thread_id"].(string)
}

func TestThreadAnswersAsDocumented(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	id := newThread(t, srv, c, "1920")

	status, body := c.call("GET", "/thread?limit=1", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "applicationName", "duration", "entities", "organization", "timestamp", "uri")
	assertKeys(t, entities(t, body)[0], "id")

	status, body = c.call("GET", "/threads/user/alice0", nil)
	require.Equal(t, http.StatusOK, status, body)
	ent := entities(t, body)[0]
	assertKeys(t, ent, "name", "owner", "id", "msgId", "groupId", "created")
	assert.Equal(t, "17", ent["groupId"])

	status, body = c.call("POST", "/thread/"+id+"/users", map[string]any{"usernames": []string{"bob", "carol"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, map[string]any{"status": "ok"}, body["data"])
	status, body = c.call("GET", "/thread/"+id+"/users?limit=2", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "action", "data", "duration", "properties", "timestamp", "uri")
	assert.Equal(t, []any{"alice0", "bob"}, body["data"].(map[string]any)["affiliations"])

	status, body = c.call("DELETE", "/thread/"+id+"/users", map[string]any{"usernames": []string{"bob", "dave"}})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, []any{
		map[string]any{"result": true, "user": "bob"},
		map[string]any{"result": false, "user": "dave"},
	}, body["entities"])
}

func TestThreadDocumentedErrors(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	id := newThread(t, srv, c, "1")
	eleven := strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		desc         string
	}{
		{"GET", "/thread?limit=51", nil, 400, "query param reaches limit."},
		{"GET", "/thread/" + id + "/users?limit=51", nil, 400, "query param reaches limit."},
		{"POST", "/thread/" + id + "/users", map[string]any{"usernames": eleven}, 400, "request body reaches limit."},
		{"DELETE", "/thread/" + id + "/users", map[string]any{"usernames": eleven}, 400, "request body reaches limit."},
		{"PUT", "/thread/" + id, map[string]any{"name": strings.Repeat("x", 65)}, 400, "thread name limit reached."},
		{"POST", "/thread", map[string]any{"group_id": "17", "name": strings.Repeat("x", 65), "msg_id": "2", "owner": "alice0"}, 400, "thread name limit reached."},
		{"POST", "/thread", map[string]any{"group_id": "17", "name": "n", "msg_id": "1", "owner": "alice0"}, 403, "msg already create thread.not allow to create."},
		{"POST", "/thread", map[string]any{"group_id": "17", "name": "n", "msg_id": "3", "owner": "nobody"}, 404, "user not in group."},
		{"PUT", "/thread/404", map[string]any{"name": "x"}, 404, "thread not found."},
		{"DELETE", "/thread/404", nil, 404, "thread not found."},
		{"GET", "/thread/404/users", nil, 404, "thread not found."},
		{"POST", "/thread", map[string]any{"group_id": "999", "name": "n", "msg_id": "4", "owner": "alice0"}, 404, "group not found."},
		{"POST", "/thread/404/users", map[string]any{"usernames": []string{"a"}}, 404, "thread not found."},
		{"DELETE", "/thread/404/users", map[string]any{"usernames": []string{"a"}}, 404, "thread not found."},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		assertError(t, status, body, tc.status, "group_error", tc.desc)
	}
	status, body := c.call("POST", "/thread", map[string]any{"name": "n", "msg_id": "5", "owner": "alice0"})
	assertError(t, status, body, 400, "illegal_argument", "group_id: required")
}
