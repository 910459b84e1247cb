package easemobtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// fakeClock is stepped by hand so no test depends on wall-clock timing.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// client is a plain net/http client holding an app token.
type client struct {
	t     *testing.T
	srv   *easemobtest.Server
	token string
}

func newClient(t *testing.T, srv *easemobtest.Server) *client {
	t.Helper()
	c := &client{t: t, srv: srv}
	status, body := c.send("POST", "/token", map[string]any{
		"grant_type": "client_credentials", "client_id": srv.ClientID, "client_secret": srv.ClientSecret,
	}, "")
	require.Equal(t, http.StatusOK, status, body)
	c.token = body["access_token"].(string)
	return c
}

// call sends with the app token.
func (c *client) call(method, path string, body any) (int, map[string]any) {
	return c.send(method, path, body, c.token)
}

// send issues method on AppURL()+path with token (none when "").
func (c *client) send(method, path string, body any, token string) (int, map[string]any) {
	c.t.Helper()
	req := c.request(method, path, body)
	if token == "" {
		req.Header.Del("Authorization")
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.do(req)
}

// request builds a call on AppURL()+path with the app token; body is
// JSON-encoded unless it is a string (sent verbatim).
func (c *client) request(method, path string, body any) *http.Request {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.srv.AppURL()+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	return req
}

// do sends req and decodes the answer with numbers as json.Number.
func (c *client) do(req *http.Request) (int, map[string]any) {
	c.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	var out map[string]any
	require.NoError(c.t, dec.Decode(&out))
	return resp.StatusCode, out
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// assertKeys checks that a body has exactly the documented fields.
func assertKeys(t *testing.T, m map[string]any, want ...string) {
	t.Helper()
	sort.Strings(want)
	assert.Equal(t, want, keys(m))
}

// assertError checks status, error code, description and the error shape.
func assertError(t *testing.T, status int, body map[string]any, wantStatus int, code, desc string) {
	t.Helper()
	assert.Equal(t, wantStatus, status, body)
	assertKeys(t, body, "error", "exception", "timestamp", "duration", "error_description")
	assert.Equal(t, code, body["error"])
	if desc != "" {
		assert.Equal(t, desc, body["error_description"])
	}
	ms, err := body["duration"].(json.Number).Int64()
	assert.NoError(t, err, "duration is an integer")
	assert.GreaterOrEqual(t, ms, int64(0))
}

// entities returns body["entities"] as objects.
func entities(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	raw, ok := body["entities"].([]any)
	require.True(t, ok, "entities: %v", body["entities"])
	out := make([]map[string]any, len(raw))
	for i, e := range raw {
		out[i] = e.(map[string]any)
	}
	return out
}

func usernames(t *testing.T, body map[string]any) []string {
	var out []string
	for _, e := range entities(t, body) {
		out = append(out, e["username"].(string))
	}
	return out
}

func user(name string) map[string]any {
	return map[string]any{"username": name, "password": "pw-" + name}
}
