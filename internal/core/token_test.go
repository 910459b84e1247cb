package core

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

func getUser(c *Client, name string) error {
	return c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", name)})
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

	// The next call after the backoff fetches a new token.
	clock.Advance(minBackoff)
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
	var de *DecodeError
	require.ErrorAs(t, err, &de, "a 200 without a token is a decoding error, not a made-up server error")
	assert.Equal(t, catalog.AuthGetAppToken.ID, de.Op)
	assert.Contains(t, de.Reason, "access_token")
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

// fakeFetch is a token fetch that counts its calls and answers the n-th
// (from 1) with answer(n).
type fakeFetch struct {
	calls  atomic.Int64
	answer func(n int64) (token, error)
}

func (f *fakeFetch) fetch(context.Context) (token, error) { return f.answer(f.calls.Add(1)) }

func newFakeCache(now func() time.Time, answer func(n int64) (token, error)) (*tokenCache, *fakeFetch) {
	f := &fakeFetch{answer: answer}
	return &tokenCache{now: now, fetch: f.fetch}, f
}

// settle waits for the running fetch, if any, to end.
func settle(tc *tokenCache) {
	tc.mu.Lock()
	done := tc.inflight
	tc.mu.Unlock()
	if done != nil {
		<-done
	}
}

// storm calls Token from n goroutines released at once.
func storm(tc *tokenCache, n int) ([]string, []error) {
	vals, errs := make([]string, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			vals[i], errs[i] = tc.Token(context.Background())
		})
	}
	close(start)
	wg.Wait()
	return vals, errs
}

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

var errUnavailable = &Error{StatusCode: http.StatusServiceUnavailable, Code: "unavailable"}

// A refresh that fails while the old token is live is not retried by every
// call: callers keep the old token and the next try waits for the backoff.
func TestTokenCacheFailedRefreshBacksOff(t *testing.T) {
	clock := &manualTime{now: t0}
	tc, f := newFakeCache(clock.Now, func(int64) (token, error) { return token{}, errUnavailable })
	tc.cur = token{value: "old", expires: t0.Add(time.Hour), refresh: t0}
	for range 1000 { // over 1.2 s
		v, err := tc.Token(context.Background())
		require.NoError(t, err)
		require.Equal(t, "old", v)
		settle(tc)
		clock.Advance(1200 * time.Microsecond)
	}
	assert.EqualValues(t, 2, f.calls.Load(), "one refresh at once, one after the 1 s backoff")
}

// With no live token, a failure, even an unrecoverable 401, is served to
// every caller until the backoff ends, which then doubles.
func TestTokenCacheCachesFailureForBackoff(t *testing.T) {
	clock := &manualTime{now: t0}
	badCredentials := &Error{StatusCode: http.StatusUnauthorized, Code: "invalid_client"}
	tc, f := newFakeCache(clock.Now, func(int64) (token, error) { return token{}, badCredentials })
	get := func() error {
		_, err := tc.Token(context.Background())
		return err
	}

	_, errs := storm(tc, 1000)
	for _, err := range errs {
		require.ErrorIs(t, err, badCredentials)
	}
	assert.EqualValues(t, 1, f.calls.Load(), "1000 concurrent callers share one fetch")
	for range 1000 {
		require.ErrorIs(t, get(), badCredentials)
	}
	assert.EqualValues(t, 1, f.calls.Load(), "later callers get the cached error")

	clock.Advance(minBackoff)
	require.ErrorIs(t, get(), badCredentials)
	assert.EqualValues(t, 2, f.calls.Load(), "one fetch once the backoff ends")
	clock.Advance(minBackoff)
	require.ErrorIs(t, get(), badCredentials)
	assert.EqualValues(t, 2, f.calls.Load(), "the backoff doubled to 2 s")
	clock.Advance(minBackoff)
	require.ErrorIs(t, get(), badCredentials)
	assert.EqualValues(t, 3, f.calls.Load())
}

func TestTokenCacheSuccessResetsBackoff(t *testing.T) {
	clock := &manualTime{now: t0}
	tc, f := newFakeCache(clock.Now, func(n int64) (token, error) {
		if n == 3 {
			return token{value: "v"}, nil
		}
		return token{}, errUnavailable
	})
	get := func() error {
		_, err := tc.Token(context.Background())
		return err
	}
	require.ErrorIs(t, get(), errUnavailable) // backoff 1 s
	clock.Advance(time.Second)
	require.ErrorIs(t, get(), errUnavailable) // backoff 2 s
	clock.Advance(2 * time.Second)
	require.NoError(t, get())
	require.EqualValues(t, 3, f.calls.Load())

	tc.Invalidate("v")
	require.ErrorIs(t, get(), errUnavailable)
	clock.Advance(time.Second - time.Millisecond)
	require.ErrorIs(t, get(), errUnavailable)
	assert.EqualValues(t, 4, f.calls.Load(), "no fetch within the backoff")
	clock.Advance(time.Millisecond)
	require.ErrorIs(t, get(), errUnavailable)
	assert.EqualValues(t, 5, f.calls.Load(), "the backoff started again from 1 s, not 4 s")
}

// The backoff keeps the single flight: a storm of callers makes one fetch,
// on an empty cache and once the backoff after a failed refresh has ended,
// whether the old token is still live or not.
func TestTokenCacheStormFetchesOnce(t *testing.T) {
	ok := func(int64) (token, error) { return token{value: "new", expires: t0.Add(time.Hour)}, nil }
	tc, f := newFakeCache(func() time.Time { return t0 }, ok)
	vals, errs := storm(tc, 1000)
	for i := range vals {
		require.NoError(t, errs[i])
		require.Equal(t, "new", vals[i])
	}
	assert.EqualValues(t, 1, f.calls.Load(), "empty cache")

	for _, expires := range []time.Duration{time.Hour, 0} {
		clock := &manualTime{now: t0}
		tc, f := newFakeCache(clock.Now, func(n int64) (token, error) {
			if n == 1 {
				return token{}, errUnavailable
			}
			return ok(n)
		})
		tc.cur = token{value: "old", expires: t0.Add(expires), refresh: t0}
		_, _ = tc.Token(context.Background()) // the failed refresh
		settle(tc)
		clock.Advance(minBackoff)
		vals, errs := storm(tc, 1000)
		for i := range vals {
			require.NoError(t, errs[i])
			require.Contains(t, []string{"old", "new"}, vals[i])
		}
		settle(tc)
		assert.EqualValues(t, 2, f.calls.Load(), "after a failed refresh, old token expiring in %v", expires)
	}
}
