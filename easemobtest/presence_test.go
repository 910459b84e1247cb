package easemobtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// The presence service answers {"result": ...} only, numbers as strings.
func TestPresenceAnswersAsDocumented(t *testing.T) {
	c := newClient(t, easemobtest.NewServer(t))
	status, body := c.call("POST", "/users/c1/presence/android/1", map[string]any{"ext": "hi"})
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, map[string]any{"result": "ok"}, body)

	status, body = c.call("POST", "/users/c2/presence/3600", map[string]any{"usernames": []string{"C1"}})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "result")
	items := body["result"].([]any)
	require.Len(t, items, 1)
	item := items[0].(map[string]any)
	assertKeys(t, item, "uid", "last_time", "expiry", "ext", "status")
	assert.Equal(t, "c1", item["uid"])
	assert.IsType(t, "", item["last_time"], "a numeric string")
	assert.IsType(t, "", item["expiry"])
	assert.Equal(t, map[string]any{"android": "1"}, item["status"])

	status, body = c.call("GET", "/users/c2/presence/sublist?pageNum=1&pageSize=10", nil)
	require.Equal(t, http.StatusOK, status, body)
	res := body["result"].(map[string]any)
	assert.Equal(t, "1", res["totalnum"])

	// The docs' table names an object body; the server takes it too.
	status, body = c.call("DELETE", "/users/c2/presence", map[string]any{"users": []string{"c1"}})
	require.Equal(t, http.StatusOK, status, body)
	status, body = c.call("GET", "/users/c2/presence/sublist?pageNum=1&pageSize=10", nil)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "0", body["result"].(map[string]any)["totalnum"])
}

func TestPresenceDocumentedErrors(t *testing.T) {
	c := newClient(t, easemobtest.NewServer(t))
	many := make([]string, 101)
	for i := range many {
		many[i] = "u" + strings.Repeat("x", i%5) + string(rune('a'+i%26))
	}
	for _, tc := range []struct {
		method, path string
		body         any
		desc         string
	}{
		{"POST", "/users/c1/presence/android/1", map[string]any{}, "ext cannot be null"},
		{"POST", "/users/c1/presence/android/1", map[string]any{"ext": strings.Repeat("x", 1025)}, "ext is too big"},
		{"POST", "/users/c1/presence/android/on", map[string]any{"ext": "x"}, ""},
		{"POST", "/users/c1/presence/3600", map[string]any{"usernames": []string{}}, "usernames is empty"},
		{"POST", "/users/c1/presence/3600", map[string]any{"usernames": many}, "too many sub presence"},
		{"POST", "/users/c1/presence/3600", map[string]any{"usernames": []string{"C1"}}, "you can't sub yourself"},
		{"POST", "/users/c1/presence", map[string]any{"usernames": many}, "too many get presences"},
		{"DELETE", "/users/c1/presence", []string{}, "usernames cannot be null"},
		{"DELETE", "/users/c1/presence", many, "too many unsub presences"},
		{"GET", "/users/c1/presence/sublist?pageNum=0&pageSize=10", nil, "pageNum must be at least 1"},
		{"GET", "/presence/online/1234/type/2", nil, ""},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		assertError(t, status, body, http.StatusBadRequest, "illegal_argument", tc.desc)
	}
}
