package core

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

func getUser(c *Client, name string) error {
	return c.Do(context.Background(), &Request{Op: catalog.UsersGet, Params: []string{name}})
}

func TestTokenSingleFlight(t *testing.T) {
	f := newFakeServer(t)
	// Hold the token answer until every caller has had a chance to ask, so
	// the single flight is exercised and not just a warm cache.
	release := make(chan struct{})
	f.setTokenGate(func(int64) { <-release })
	c := newTestClient(t, testOptions(f))

	const n = 50
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = getUser(c, "alice") })
	}
	require.Eventually(t, func() bool { return f.tokens.Load() == 1 }, 5*time.Second, time.Millisecond)
	close(release)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, f.tokens.Load())

	// Reused afterwards.
	require.NoError(t, getUser(c, "alice"))
	assert.EqualValues(t, 1, f.tokens.Load())
	reqs := f.requests()
	assert.Equal(t, n+2, len(reqs))
	for _, r := range reqs {
		if r.path == "/token" {
			assert.Empty(t, r.auth, "token request must carry no Authorization")
			var body map[string]string
			require.NoError(t, json.Unmarshal([]byte(r.body), &body))
			assert.Equal(t, map[string]string{"grant_type": "client_credentials", "client_id": "id", "client_secret": "secret"}, body)
			continue
		}
		assert.Equal(t, "Bearer tok1", r.auth)
	}
}

func TestTokenBackgroundRefresh(t *testing.T) {
	f := newFakeServer(t)
	clock := &manualTime{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	o := testOptions(f)
	o.Now = clock.Now
	c := newTestClient(t, o)

	require.NoError(t, getUser(c, "u")) // tok1, expires_in 7200s: refresh due at 5760s
	clock.Advance(5759 * time.Second)
	require.NoError(t, getUser(c, "u"))
	assert.EqualValues(t, 1, f.tokens.Load(), "no refresh before 80%% of the lifetime")

	// The refresh blocks on the server; callers must not.
	arrived := make(chan struct{})
	release := make(chan struct{})
	f.setTokenGate(func(n int64) {
		if n == 2 {
			close(arrived)
			<-release
		}
	})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	clock.Advance(2 * time.Second)
	require.NoError(t, getUser(c, "u"))
	<-arrived // the background refresh reached the server
	require.NoError(t, getUser(c, "u"))
	require.NoError(t, getUser(c, "u"))
	assert.EqualValues(t, 2, f.tokens.Load(), "one refresh in flight at a time")
	close(release)

	require.Eventually(t, func() bool {
		if err := getUser(c, "u"); err != nil {
			return false
		}
		reqs := f.requests()
		return reqs[len(reqs)-1].auth == "Bearer tok2"
	}, 5*time.Second, time.Millisecond)
	assert.EqualValues(t, 2, f.tokens.Load())
	for _, r := range f.requests() {
		if r.path != "/token" && r.auth != "Bearer tok2" {
			assert.Equal(t, "Bearer tok1", r.auth)
		}
	}
}

func TestTokenRefreshAfter401(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	f.script("GET /users/u", apiError(http.StatusUnauthorized, "unauthorized", "token expired"))

	require.NoError(t, getUser(c, "u"))
	assert.Equal(t, 2, f.count("GET /users/u"))
	assert.Equal(t, 2, f.count("POST /token"))
	reqs := f.requests()
	var auths []string
	for _, r := range reqs {
		if r.path == "/users/u" {
			auths = append(auths, r.auth)
		}
	}
	assert.Equal(t, []string{"Bearer tok1", "Bearer tok2"}, auths)

	// The fresh token is kept.
	require.NoError(t, getUser(c, "u"))
	assert.Equal(t, 2, f.count("POST /token"))
}

func TestTokenSecond401IsUnauthorized(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	f.script("GET /users/u",
		apiError(http.StatusUnauthorized, "unauthorized", "bad token"),
		apiError(http.StatusUnauthorized, "unauthorized", "bad token"))

	err := getUser(c, "u")
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 2, f.count("GET /users/u"))
	assert.Equal(t, 2, f.count("POST /token"))
}

func TestStaticTokenNeverRefreshed(t *testing.T) {
	f := newFakeServer(t)
	clock := &manualTime{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	o := testOptions(f)
	o.Token = "static"
	o.Now = clock.Now
	c := newTestClient(t, o)

	require.NoError(t, getUser(c, "u"))
	clock.Advance(365 * 24 * time.Hour)
	require.NoError(t, getUser(c, "u"))

	f.script("GET /users/u", apiError(http.StatusUnauthorized, "unauthorized", "bad token"))
	err := getUser(c, "u")
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 3, f.count("GET /users/u"), "a 401 on a static token is not resent")
	assert.Zero(t, f.tokens.Load())
}

// A token whose refresh fails must not be handed out after it expired: the
// caller gets the fetch error and nothing is sent with the stale token.
func TestExpiredTokenFetchErrorReturned(t *testing.T) {
	f := newFakeServer(t)
	clock := &manualTime{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	o := testOptions(f)
	o.Now = clock.Now
	c := newTestClient(t, o)

	require.NoError(t, getUser(c, "u"))
	clock.Advance(2 * time.Hour) // past expires_in
	f.script("POST /token", reply{status: http.StatusInternalServerError, body: `{"error":"internal"}`})

	err := getUser(c, "u")
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, catalog.AuthGetAppToken.ID, apiErr.Op)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, 1, f.count("GET /users/u"), "nothing sent with the expired token")

	// The next call fetches a new token.
	require.NoError(t, getUser(c, "u"))
	reqs := f.requests()
	assert.Equal(t, "Bearer tok3", reqs[len(reqs)-1].auth)
}

func TestTokenBadCredentials(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	f.script("POST /token", apiError(http.StatusUnauthorized, "invalid_client", "invalid client credentials"))

	err := getUser(c, "u")
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 1, f.count("POST /token"), "a token request is not refreshed on 401")
	assert.Zero(t, f.count("GET /users/u"))
}

func TestTokenMissingAccessToken(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	f.script("POST /token", reply{status: http.StatusOK, body: `{"expires_in":7200}`})

	err := getUser(c, "u")
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, catalog.AuthGetAppToken.ID, apiErr.Op)
	assert.Contains(t, apiErr.Description, "access_token")
}

func TestNewTokenRefreshPoint(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		ttl, refreshAt time.Duration
	}{
		{7200 * time.Second, 5760 * time.Second}, // 80%
		{60 * 24 * time.Hour, 48 * 24 * time.Hour},
		{100 * time.Second, 50 * time.Second}, // short: half the lifetime
		{4 * time.Minute, 3 * time.Minute},    // at least a minute before expiry
	}
	for _, tt := range tests {
		tok := newToken("x", t0, tt.ttl)
		assert.Equal(t, t0.Add(tt.ttl), tok.expires, tt.ttl)
		assert.Equal(t, t0.Add(tt.refreshAt), tok.refresh, tt.ttl)
	}
	tok := newToken("x", t0, 0)
	assert.True(t, tok.expires.IsZero())
	assert.True(t, tok.refresh.IsZero())
}

func TestTokenCacheWaiterGivesUp(t *testing.T) {
	release := make(chan struct{})
	tc := &tokenCache{now: time.Now, fetch: func(context.Context) (token, error) {
		<-release
		return token{value: "v"}, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := tc.Token(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	close(release)
	v, err := tc.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v", v)
}

func TestTokenCacheInvalidateOnlyRejected(t *testing.T) {
	n := 0
	tc := &tokenCache{now: time.Now, fetch: func(context.Context) (token, error) {
		n++
		return token{value: []string{"a", "b"}[n-1]}, nil
	}}
	v, err := tc.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "a", v)
	tc.Invalidate("a")
	v, err = tc.Token(context.Background())
	require.NoError(t, err)
	require.Equal(t, "b", v)
	tc.Invalidate("a") // a late 401 on the old token keeps the new one
	v, err = tc.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "b", v)
	assert.Equal(t, 2, n)
}
