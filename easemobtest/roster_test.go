package easemobtest

import (
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

// appToken issues an app token on e directly.
func appToken(e *Emulator) string {
	var tok string
	e.world.locked(func() { tok = e.world.issueToken("", e.now(), 0) })
	return tok
}

// do serves one request on e and returns the status and body.
func do(t *testing.T, e *Emulator, method, path, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, "/"+e.org+"/"+e.app+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+appToken(e))
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
	status, body := do(t, e, "POST", "/users/b/presence/web/5", `{"ext":"busy"}`)
	require.Equal(t, http.StatusOK, status, body)

	status, body = do(t, e, "GET", "/presence/online/g1/type/1", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"result":1}`, body)
	status, body = do(t, e, "GET", "/presence/online/other/type/1", "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"result":0}`, body)
}
