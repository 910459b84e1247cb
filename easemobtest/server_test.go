package easemobtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

func quota(group string, limits ...ratelimit.Limit) easemobtest.Option {
	return easemobtest.WithQuotas(ratelimit.Quota{Group: group, Limits: limits})
}

func TestQuotaAnswers429ReachLimit(t *testing.T) {
	clock := newClock()
	srv := easemobtest.NewServer(t, easemobtest.WithClock(clock.Now),
		quota("users.get", ratelimit.Limit{Count: 5, Window: time.Second}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	for i := range 5 {
		status, _ := c.call("GET", "/users/alice", nil)
		require.Equal(t, http.StatusOK, status, "call %d", i+1)
		clock.Advance(100 * time.Millisecond)
	}
	status, body := c.call("GET", "/users/alice", nil)
	assertError(t, status, body, 429, "reach_limit", "This request has reached api limit")
	assert.Equal(t, json.Number(fmt.Sprint(clock.Now().UnixMilli())), body["timestamp"])

	st := srv.Stats("users.get")
	assert.Equal(t, easemobtest.GroupStats{Received: 6, Accepted: 5, RateLimited: 1, MaxInWindow: []int{6}}, st)
	assert.Equal(t, 1, srv.TotalRateLimited())
	assert.Zero(t, srv.Stats("users.list").Received, "other groups have their own budget")

	clock.Advance(500 * time.Millisecond) // the first call leaves the window
	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusOK, status)

	srv.ResetStats()
	assert.Equal(t, easemobtest.GroupStats{MaxInWindow: []int{0}}, srv.Stats("users.get"))
	assert.Zero(t, srv.TokenRequests())
	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusTooManyRequests, status, "reset keeps the server's quota state")
}

func TestAlgorithmsOverHTTP(t *testing.T) {
	for _, alg := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow, easemobtest.TokenBucket} {
		t.Run(alg.String(), func(t *testing.T) {
			clock := newClock()
			srv := easemobtest.NewServer(t, easemobtest.WithClock(clock.Now), easemobtest.WithAlgorithm(alg),
				quota("users.list", ratelimit.Limit{Count: 3, Window: time.Second}))
			c := newClient(t, srv)
			var got []int
			for range 4 {
				status, _ := c.call("GET", "/users", nil)
				got = append(got, status)
			}
			assert.Equal(t, []int{200, 200, 200, 429}, got)
			clock.Advance(time.Second)
			status, _ := c.call("GET", "/users", nil)
			assert.Equal(t, http.StatusOK, status)
		})
	}
}

func TestTokenEndpointHasQuota(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithClock(newClock().Now),
		quota("auth.token", ratelimit.Limit{Count: 2, Window: time.Second}))
	newClient(t, srv)
	newClient(t, srv)
	c := &client{t: t, srv: srv}
	status, body := c.send("POST", "/token", map[string]any{"grant_type": "client_credentials"}, "")
	assertError(t, status, body, 429, "reach_limit", "")
	assert.Equal(t, 3, srv.TokenRequests())
	assert.Equal(t, 1, srv.Stats("auth.token").RateLimited)
}

func TestPerUserQuota(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithClock(newClock().Now),
		quota("users.get", ratelimit.Limit{Count: 2, Window: time.Minute, Per: "username"}))
	c := newClient(t, srv)
	var got []int
	for _, name := range []string{"Alice", "alice", "ALICE", "bob"} {
		status, _ := c.call("GET", "/users/"+name, nil)
		got = append(got, status)
	}
	// Unknown users answer 404, but only after paying the quota.
	assert.Equal(t, []int{404, 404, 429, 404}, got)
	assert.Equal(t, []int{3}, srv.Stats("users.get").MaxInWindow)
}

func TestMessageQuotaAnswers403(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithClock(newClock().Now),
		quota("messages.send_users",
			ratelimit.Limit{Count: 100, Window: time.Second},
			ratelimit.Limit{Count: 5, Window: time.Minute, Unit: ratelimit.Messages}))
	c := newClient(t, srv)
	send := func(n int) (int, map[string]any) {
		to := make([]string, n)
		for i := range to {
			to[i] = fmt.Sprint("u", i)
		}
		return c.call("POST", "/messages/users", map[string]any{"from": "admin", "to": to, "type": "txt", "body": map[string]any{"msg": "hi"}})
	}
	status, body := send(4)
	assert.Equal(t, http.StatusOK, status, body)
	status, body = send(2)
	assertError(t, status, body, 403, "message_send_error", "message send reach limit")
	status, _ = send(1)
	assert.Equal(t, http.StatusOK, status, "the refused call spent nothing")

	st := srv.Stats("messages.send_users")
	assert.Equal(t, easemobtest.GroupStats{Received: 3, Accepted: 2, QuotaExceeded: 1, MaxInWindow: []int{3, 7}}, st)
	assert.Zero(t, srv.TotalRateLimited())
}

func TestFailNext(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	srv.FailNext(2, http.StatusTooManyRequests)
	newClient(t, srv) // token requests are never failed
	for range 2 {
		status, body := c.call("GET", "/users/alice", nil)
		assertError(t, status, body, 429, "reach_limit", "This request has reached api limit")
	}
	status, _ := c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusOK, status)
	st := srv.Stats("users.get")
	assert.Equal(t, easemobtest.GroupStats{Received: 3, Accepted: 1, RateLimited: 2, MaxInWindow: []int{3}}, st)

	srv.FailNext(1, http.StatusServiceUnavailable)
	status, body := c.call("GET", "/users/alice", nil)
	assertError(t, status, body, 503, "server_error", "Service Unavailable")
	srv.FailNext(1, http.StatusUnauthorized)
	status, body = c.call("GET", "/users/alice", nil)
	assertError(t, status, body, 401, "unauthorized", "Unable to authenticate due to expired access token")
}

func TestOnRequest(t *testing.T) {
	srv := easemobtest.NewServer(t)
	var mu sync.Mutex
	var seen []string
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.Path)
	})
	c := newClient(t, srv)
	c.call("GET", "/users", nil)
	srv.OnRequest(nil)
	c.call("GET", "/users", nil)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"POST /easemob-demo/emulator/token", "GET /easemob-demo/emulator/users"}, seen)
}

func TestRouting(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithAppKey("acme#chat-1"))
	assert.Equal(t, srv.URL+"/acme/chat-1", srv.AppURL())
	c := newClient(t, srv)

	req, err := http.NewRequest("GET", srv.URL+"/acme/other/users", nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "organization_application_not_found", body["error"])
	assert.True(t, strings.HasPrefix(body["error_description"].(string), "Could not find application for acme/other from URI: "), body)

	status, body := c.call("GET", "/no/such/path", nil)
	assertError(t, status, body, 404, "web_application", "")
	status, body = c.call("PATCH", "/users", nil)
	assertError(t, status, body, 405, "web_application", "")

	// A literal segment beats a parameter: not /users/{username}/... .
	status, body = c.call("POST", "/users/batch/status", map[string]any{"usernames": []string{"a"}})
	assert.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "get batch user status", body["action"])
	assert.Equal(t, 1, srv.Stats("users.get_status_batch").Accepted)

	status, body = c.call("GET", "/chatgroups", nil)
	assert.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, 1, srv.Stats("groups.list").Accepted)
}

func TestInvalidOptions(t *testing.T) {
	assert.Panics(t, func() { easemobtest.New(easemobtest.WithAppKey("no-hash")) })
	assert.Panics(t, func() { easemobtest.New(quota("no.such.group", ratelimit.Limit{Count: 1, Window: time.Second})) })
	assert.Panics(t, func() { easemobtest.New(quota("users.get", ratelimit.Limit{Count: 0, Window: time.Second})) })
	e := easemobtest.New(easemobtest.WithCredentials("id", "secret"))
	assert.Equal(t, "id", e.ClientID())
	assert.Equal(t, "secret", e.ClientSecret())
	assert.Equal(t, easemobtest.DefaultAppKey, e.AppKey())
}

func TestConcurrentClients(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				name := fmt.Sprintf("g%d-u%d", g, i)
				status, _ := c.call("POST", "/users", user(name))
				assert.Equal(t, http.StatusOK, status)
				status, _ = c.call("GET", "/users/"+name, nil)
				assert.Equal(t, http.StatusOK, status)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 80, srv.Stats("users.account_write").Accepted)
	assert.Equal(t, 80, srv.Stats("users.get").Received)
}

// Served counts the successes of the built-in handlers over every emulator
// of the process, and nothing else.
func TestServedCountsBuiltInSuccesses(t *testing.T) {
	before := easemobtest.Served("users.Get")
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)
	status, _ := c.call("GET", "/users/alice", nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = c.call("GET", "/users/nobody", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, before+1, easemobtest.Served("users.Get"), "the 404 is no success")
	assert.Zero(t, easemobtest.Served("no.Such"))
}
