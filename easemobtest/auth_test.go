package easemobtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

func TestTokenFlow(t *testing.T) {
	srv := easemobtest.NewServer(t)
	assert.Equal(t, easemobtest.DefaultAppKey, srv.AppKey)
	c := &client{t: t, srv: srv}
	status, body := c.send("POST", "/token", map[string]any{
		"grant_type": "client_credentials", "client_id": srv.ClientID, "client_secret": srv.ClientSecret,
	}, "")
	require.Equal(t, http.StatusOK, status)
	assertKeys(t, body, "access_token", "expires_in", "application")
	assert.True(t, strings.HasPrefix(body["access_token"].(string), "YWMt"))
	assert.Equal(t, json.Number("5184000"), body["expires_in"], "60 days by default")

	c.token = body["access_token"].(string)
	status, _ = c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, srv.TokenRequests())
}

func TestTokenErrors(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithCredentials("id1", "secret1"))
	c := &client{t: t, srv: srv}
	for _, tc := range []struct {
		body       any
		status     int
		code, desc string
	}{
		{map[string]any{"grant_type": "client_credentials", "client_secret": "secret1"}, 400, "illegal_argument", "client_id must be provided."},
		{map[string]any{"grant_type": "client_credentials", "client_id": "id1"}, 400, "illegal_argument", "client_secret must be provided"},
		{map[string]any{"grant_type": "client_credentials", "client_id": "x", "client_secret": "secret1"}, 400, "invalid_grant", "client_id does not match"},
		{map[string]any{"grant_type": "client_credentials", "client_id": "id1", "client_secret": "x"}, 400, "invalid_grant", "client_secret does not match"},
		{map[string]any{"client_id": "id1", "client_secret": "secret1"}, 400, "illegal_argument", ""},
		{`{"grant_type":`, 400, "json_parse", ""},
	} {
		status, body := c.send("POST", "/token", tc.body, "")
		assertError(t, status, body, tc.status, tc.code, tc.desc)
	}
}

func TestTokenTTLAndExpiry(t *testing.T) {
	clock := newClock()
	srv := easemobtest.NewServer(t, easemobtest.WithClock(clock.Now), easemobtest.WithTokenTTL(time.Hour))
	c := &client{t: t, srv: srv}
	creds := map[string]any{"grant_type": "client_credentials", "client_id": srv.ClientID, "client_secret": srv.ClientSecret}

	_, body := c.send("POST", "/token", creds, "")
	assert.Equal(t, json.Number("3600"), body["expires_in"])

	creds["ttl"] = "10" // the docs send ttl as a string too
	_, body = c.send("POST", "/token", creds, "")
	assert.Equal(t, json.Number("10"), body["expires_in"])
	c.token = body["access_token"].(string)

	clock.Advance(9 * time.Second)
	status, _ := c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status)
	clock.Advance(time.Second)
	status, body = c.call("GET", "/users", nil)
	assertError(t, status, body, 401, "unauthorized", "Unable to authenticate due to expired access token")
}

func TestExpireTokens(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	srv.ExpireTokens()
	status, body := c.call("GET", "/users/alice", nil)
	assertError(t, status, body, 401, "unauthorized", "Unable to authenticate due to expired access token")

	fresh := newClient(t, srv)
	status, _ = fresh.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status, "tokens issued afterwards work")
	assert.Equal(t, 2, srv.TokenRequests())
}

func TestMissingOrUnknownToken(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := &client{t: t, srv: srv}
	status, body := c.send("GET", "/users", nil, "")
	assertError(t, status, body, 401, "unauthorized", "Unable to authenticate due to expired access token")
	status, body = c.send("GET", "/users", nil, "YWMtnot-a-token")
	assertError(t, status, body, 401, "unauthorized", "")
	assert.Zero(t, srv.Stats("users.list").Received, "unauthenticated calls never reach the quota")
}

func TestUserTokens(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "secret"))
	c := newClient(t, srv)

	status, body := c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "secret"}, "")
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "access_token", "expires_in", "user")
	assertKeys(t, body["user"].(map[string]any), "uuid", "type", "created", "modified", "username", "activated")
	userToken := body["access_token"].(string)

	status, body = c.send("GET", "/users", nil, userToken)
	assertError(t, status, body, 401, "auth_bad_access_token", "Unable to authenticate due to corrupt access token")

	status, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "alice", "password": "nope"}, "")
	assertError(t, status, body, 400, "invalid_grant", "invalid password")
	status, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "zed", "password": "x"}, "")
	assertError(t, status, body, 404, "invalid_grant", "user not found")

	inherit := map[string]any{"grant_type": "inherit", "username": "Bob", "autoCreateUser": true}
	status, body = c.send("POST", "/token", inherit, "")
	assertError(t, status, body, 401, "unauthorized", "")
	status, body = c.call("POST", "/token", inherit)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "bob", body["user"].(map[string]any)["username"])
	status, _ = c.call("GET", "/users/bob", nil)
	assert.Equal(t, http.StatusOK, status, "autoCreateUser registered bob")
	status, body = c.send("POST", "/token", map[string]any{"grant_type": "password", "username": "bob", "password": ""}, "")
	assertError(t, status, body, 400, "invalid_grant", "invalid password")

	inherit["username"], inherit["autoCreateUser"] = "carol", false
	status, body = c.call("POST", "/token", inherit)
	assertError(t, status, body, 404, "invalid_grant", "user not found")
	assert.Equal(t, 8, srv.TokenRequests())
	assert.Equal(t, 7, srv.Stats("auth.token").Received, "the call without a token failed auth first")
}
