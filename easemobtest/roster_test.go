package easemobtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withRoster stands in for the groups module: group "g1" has the given
// members, no other group exists.
func withRoster(t *testing.T, members ...string) {
	t.Helper()
	old := groupRoster
	groupRoster = func(_ *world, id string) ([]string, bool) {
		if id == "g1" {
			return members, true
		}
		return nil, false
	}
	t.Cleanup(func() { groupRoster = old })
}

// rawAppToken issues an app token on e directly.
func rawAppToken(e *Emulator) string {
	var tok string
	e.world.locked(func() { tok = e.world.issueToken("", e.now(), 0) })
	return tok
}

// serveRaw serves one request on e and returns the status and body.
func serveRaw(t *testing.T, e *Emulator, method, path, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, "/"+e.org+"/"+e.app+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+rawAppToken(e))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestGroupOnlineCountCountsConnectedMembers(t *testing.T) {
	withRoster(t, "a", "b", "c")
	e := New()
	for _, u := range []string{"a", "b", "c", "d"} {
		require.NoError(t, e.AddUser(u, "pw"))
	}
	require.NoError(t, e.SetOnline("a"))
	require.NoError(t, e.SetOnline("d")) // online, but not a member
	// A custom status is not a connection.
	status, body := serveRaw(t, e, "POST", "/users/b/presence/web/5", `{"ext":"busy"}`)
	require.Equal(t, http.StatusOK, status, body)

	status, body = serveRaw(t, e, "GET", "/presence/online/g1/type/1", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"result":1}`, body)
	status, body = serveRaw(t, e, "GET", "/presence/online/other/type/1", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"result":0}`, body)
}

// postThread creates a thread through the API and returns its id.
func postThread(t *testing.T, e *Emulator, group, msg, owner string) string {
	t.Helper()
	status, body := serveRaw(t, e, "POST", "/thread", `{"group_id":"`+group+`","name":"t","msg_id":"`+msg+`","owner":"`+owner+`"}`)
	require.Equal(t, http.StatusOK, status, body)
	var out struct {
		Data struct {
			ThreadID string `json:"thread_id"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	return out.Data.ThreadID
}

// With the groups module's roster, a thread needs an existing group and an
// owner in it.
func TestThreadsFollowTheGroupRoster(t *testing.T) {
	withRoster(t, "alice")
	e := New()
	require.NoError(t, e.AddUser("alice", "pw"))
	require.NoError(t, e.AddUser("bob", "pw"))
	postThread(t, e, "g1", "m1", "alice")
	status, body := serveRaw(t, e, "POST", "/thread", `{"group_id":"g2","name":"t","msg_id":"m2","owner":"alice"}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, `"error_description":"group not found."`)
	status, body = serveRaw(t, e, "POST", "/thread", `{"group_id":"g1","name":"t","msg_id":"m3","owner":"bob"}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, `"error_description":"user not in group."`)
}

// A dissolved group takes its threads with it, and nothing else.
func TestDissolvedGroupDropsItsThreads(t *testing.T) {
	e := New()
	require.NoError(t, e.AddUser("alice", "pw"))
	require.NoError(t, e.AddGroupWithID("g1", "alice"))
	require.NoError(t, e.AddGroupWithID("g2", "alice"))
	gone := postThread(t, e, "g1", "m1", "alice")
	kept := postThread(t, e, "g2", "m2", "alice")
	e.world.locked(func() { e.world.dissolveGroup("g1") })

	status, body := serveRaw(t, e, "GET", "/thread", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, kept)
	assert.NotContains(t, body, gone)
	status, _ = serveRaw(t, e, "GET", "/thread/"+gone+"/users", "")
	assert.Equal(t, http.StatusNotFound, status)
	// The message is free again: a new thread may hang off it.
	postThread(t, e, "g1", "m1", "alice")
}
