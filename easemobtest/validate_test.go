package easemobtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// The catalog drives validation, after the quota check, for emulated ops
// and not-emulated ones alike.
func TestValidationFromCatalog(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	for _, tc := range []struct {
		method, path string
		body         any
		desc         string
	}{
		// Path values, by rules.PathValue.
		{"GET", "/users/a%20b", nil, "username a b is not legal"},
		{"GET", "/users/" + strings.Repeat("a", 65), nil, "username " + strings.Repeat("a", 65) + " is not legal"},
		// A documented pattern.
		{"PUT", "/messages/rewrite/abc", map[string]any{}, "msg_id: abc is not of the documented form"},
		// A list parameter: each value, and the documented count.
		{"DELETE", "/chatgroups/1/users/a,b%20c", nil, "username b c is not legal"},
		{"DELETE", "/chatgroups/1/users/" + names(61), nil, "usernames: 61 values, at most 60 allowed"},
		// The body schema, where the op's own checks have no word for it.
		{"POST", "/chatgroups", map[string]any{"owner": "alice", "public": "yes"}, "public: must be boolean"},
		{"POST", "/users/batch/status", map[string]any{"usernames": []int{1}}, "usernames: must be string[]"},
		// The query schema.
		{"GET", "/users/alice/presence/sublist?pageNum=1", nil, "pageSize: required"},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		assertError(t, status, body, http.StatusBadRequest, "illegal_argument", tc.desc)
	}
	assert.Equal(t, 2, srv.Stats("users.get").Received, "a refused call was counted first")

	status, body := c.call("POST", "/chatgroups", `{"owner":`)
	assertError(t, status, body, http.StatusBadRequest, "json_parse", "")
	// The op's own check answers in the docs' words before the schema.
	status, body = c.call("POST", "/chatgroups", map[string]any{"owner": "alice"})
	assertError(t, status, body, http.StatusBadRequest, "invalid_parameter", "group must contain public field!")
	status, body = c.call("POST", "/chatgroups", map[string]any{"owner": "alice", "public": true})
	assertError(t, status, body, http.StatusNotFound, "resource_not_found", "username alice doesn't exist!")
	status, _ = c.call("GET", "/users/alice/presence/sublist?pageNum=1&pageSize=500", nil)
	assert.Equal(t, http.StatusOK, status, "valid: a warned cap is no refusal")
}

func names(n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = "u" + strings.Repeat("x", i%3)
	}
	return strings.Join(out, ",")
}

// Ops sharing a route are told apart by the catalog's selectors.
func TestSelectorsFromCatalog(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	calls := []struct {
		method, path string
		body         any
		header       string // thumbnail, when set
		op           string
	}{
		{"DELETE", "/chatgroups/1/users/alice", nil, "", "groups.RemoveMember"},
		{"DELETE", "/chatgroups/1/users/alice,bob", nil, "", "groups.RemoveMembers"},
		{"PUT", "/chatgroups/1", map[string]any{"newowner": "bob"}, "", "groups.TransferOwner"},
		{"PUT", "/chatgroups/1", map[string]any{"groupname": "g"}, "", "groups.Update"},
	}
	for _, cl := range calls {
		req := c.request(cl.method, cl.path, cl.body)
		if cl.header != "" {
			req.Header.Set("thumbnail", cl.header)
		}
		before := srv.OpStats(cl.op).Received
		status, body := c.do(req)
		assert.Equal(t, before+1, srv.OpStats(cl.op).Received, "%s %s: %d %v", cl.method, cl.path, status, body)
	}
}
