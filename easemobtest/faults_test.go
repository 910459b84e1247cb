package easemobtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// rawPost sends a POST on a connection of its own and returns the
// transport error, if any: what a client sees of a dropped call.
func rawPost(c *client, path, body string) (*http.Response, error) {
	req := c.request("POST", path, body)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestInjectFaultStatus(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("users.Get", easemobtest.Fault{Status: 503, Count: 2}))

	for range 2 {
		status, body := c.call("GET", "/users/alice", nil)
		assertError(t, status, body, 503, "server_error", "Service Unavailable")
	}
	status, _ := c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusOK, status, "the fault was spent")
	status, _ = c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status, "other ops are untouched")

	assert.Equal(t, easemobtest.OpStats{Received: 3, Accepted: 1, Injected: 2,
		Statuses: map[int]int{503: 2, 200: 1}}, srv.OpStats("users.Get"))
	assert.Equal(t, 1, srv.Stats("users.get").Accepted, "an injected answer spends no quota")
}

func TestInjectFaultUntilCleared(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("users.List", easemobtest.Fault{Status: 429}))
	for range 3 {
		status, body := c.call("GET", "/users", nil)
		assertError(t, status, body, 429, "reach_limit", "This request has reached api limit")
	}
	srv.ClearFaults()
	status, _ := c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 3, srv.OpStats("users.List").RateLimited)
	assert.Equal(t, 3, srv.Stats("users.list").RateLimited)
}

func TestInjectFaultErrors(t *testing.T) {
	srv := easemobtest.NewServer(t)
	assert.Error(t, srv.InjectFault("users.Nope", easemobtest.Fault{Status: 500}))
	assert.Error(t, srv.InjectFault("users.Get", easemobtest.Fault{Status: 42}))
	assert.Error(t, srv.InjectFault("users.Get", easemobtest.Fault{Count: -1, Status: 500}))
	assert.Error(t, srv.InjectFault("users.Get", easemobtest.Fault{Drop: 9}))
	assert.Zero(t, srv.OpStats("users.Nope"))
}

// Token calls escape FailNext, but an op's own fault reaches them, and an
// op's fault wins over FailNext.
func TestFaultsAndFailNext(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("auth.GetAppToken", easemobtest.Fault{Status: 503, Count: 1}))
	status, body := c.send("POST", "/token", map[string]any{
		"grant_type": "client_credentials", "client_id": srv.ClientID, "client_secret": srv.ClientSecret}, "")
	assertError(t, status, body, 503, "server_error", "")

	srv.FailNext(2, http.StatusBadGateway)
	require.NoError(t, srv.InjectFault("users.Get", easemobtest.Fault{Status: 404, Count: 1}))
	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusNotFound, status, "the op's own fault first")
	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusBadGateway, status)
	status, _ = c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusBadGateway, status)
	status, _ = c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status, "FailNext's two calls are spent")
}

func TestDropBeforeServer(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("users.Register", easemobtest.Fault{Drop: easemobtest.DropBeforeServer, Count: 1}))

	resp, err := rawPost(c, "/users", `{"username":"bob","password":"pw"}`)
	closeBody(resp)
	require.Error(t, err, "the connection closes without an answer")
	status, _ := c.call("GET", "/users/bob", nil)
	assert.Equal(t, http.StatusNotFound, status, "the server never saw the call")
	assert.Zero(t, srv.Stats("users.account_write").Received)
	assert.Equal(t, easemobtest.OpStats{Dropped: 1}, srv.OpStats("users.Register"))

	resp, err = rawPost(c, "/users", `{"username":"bob","password":"pw"}`)
	require.NoError(t, err, "the fault was spent")
	defer closeBody(resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestDropAfterServer(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("users.Register", easemobtest.Fault{Drop: easemobtest.DropAfterServer, Count: 1}))

	resp, err := rawPost(c, "/users", `{"username":"bob","password":"pw"}`)
	closeBody(resp)
	require.Error(t, err)
	status, _ := c.call("GET", "/users/bob", nil)
	assert.Equal(t, http.StatusOK, status, "the server registered bob before the answer was lost")
	assert.Equal(t, 1, srv.Stats("users.account_write").Accepted)

	resp, err = rawPost(c, "/users", `{"username":"bob","password":"pw"}`)
	require.NoError(t, err)
	defer closeBody(resp)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "a retry meets the first call's effect")
	assert.Equal(t, easemobtest.OpStats{Received: 2, Accepted: 2, Dropped: 1, Statuses: map[int]int{400: 1}},
		srv.OpStats("users.Register"))
}

func TestFaultLatency(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	require.NoError(t, srv.InjectFault("users.Register", easemobtest.Fault{Latency: 200 * time.Millisecond, Count: 1}))

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := c.request("POST", "/users", user("bob")).WithContext(ctx)
	resp, err := http.DefaultClient.Do(req)
	closeBody(resp)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "the client timed out: %v", err)

	status, _ := c.call("GET", "/users/bob", nil)
	assert.Equal(t, http.StatusOK, status, "a slow answer is still the server's work")
	start := time.Now()
	status, _ = c.call("POST", "/users", user("carol"))
	assert.Equal(t, http.StatusOK, status)
	assert.Less(t, time.Since(start), 200*time.Millisecond, "Count 1: the next call is fast")
}

// closeBody closes the body of a response that may be nil.
func closeBody(resp *http.Response) {
	if resp != nil {
		_ = resp.Body.Close()
	}
}
