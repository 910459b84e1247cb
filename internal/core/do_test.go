package core

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// staticClient skips the token endpoint so request counts are only the call's.
func staticClient(t *testing.T, f *fakeServer, edit func(*Options)) *Client {
	t.Helper()
	o := testOptions(f)
	o.Token = "static"
	if edit != nil {
		edit(&o)
	}
	return newTestClient(t, o)
}

var reachLimit = apiError(http.StatusTooManyRequests, "reach_limit", "This request has reached api limit")

func TestRetryReachLimitThenSuccess(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	f.script("GET /users/u", reachLimit)

	require.NoError(t, getUser(c, "u"))
	assert.Equal(t, 2, f.count("GET /users/u"))
	st := c.Stats(catalog.GroupUsersGet)
	assert.EqualValues(t, 2, st.Sent.Load())
	assert.EqualValues(t, 1, st.RateLimited.Load())
}

// Every send, resends included, spends quota: with 3 calls allowed per
// minute on a clock that does not move, a call sent twice leaves exactly one.
func TestResendPaysQuota(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []reply
		static bool
	}{
		{"429 reach_limit", []reply{reachLimit}, true},
		{"503", []reply{{status: http.StatusServiceUnavailable, body: "busy"}}, true},
		{"401 refresh", []reply{apiError(http.StatusUnauthorized, "unauthorized", "")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeServer(t)
			clock := ratelimit.NewManualClock(time.Now())
			// Without adaptation, so that only the resend's own spending shows.
			reg := ratelimit.NewRegistry(highQuotas(), ratelimit.WithClock(clock), ratelimit.WithoutAdaptation())
			require.NoError(t, reg.Override(testAppKey, ratelimit.Quota{Group: "users.get", Limits: []ratelimit.Limit{
				{Count: 3, Window: time.Minute, Unit: ratelimit.Calls},
			}}))
			c := staticClient(t, f, func(o *Options) {
				o.Limits = reg.App(testAppKey)
				if !tc.static {
					o.Token = ""
				}
			})
			f.script("GET /users/u", tc.script...)

			require.NoError(t, getUser(c, "u"))
			require.Equal(t, 2, f.count("GET /users/u"))
			lim := c.Limiter(catalog.GroupUsersGet)
			d, err := lim.Delay(ratelimit.Cost{})
			require.NoError(t, err)
			assert.Zero(t, d, "one unit left")
			assert.True(t, lim.Allow(ratelimit.Cost{}))
			assert.False(t, lim.Allow(ratelimit.Cost{}), "the two sends spent two units")
		})
	}
}

func TestPlanQuotaNotRetried(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	f.script("POST /users", apiError(http.StatusTooManyRequests, "resource_limited", "You have exceeded the limit of the community edition"))

	err := c.Do(context.Background(), &Request{Op: catalog.UsersRegister, Body: map[string]string{"username": "u", "password": "p"}})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrPlanQuota)
	assert.NotErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.Equal(t, 1, f.count("POST /users"))
	assert.Zero(t, c.Stats(catalog.GroupUsersAccountWrite).RateLimited.Load())

	// Same on a GET, where 5xx would be retried.
	f.script("GET /users/u", apiError(http.StatusTooManyRequests, "resource_limited", "quota"))
	assert.ErrorIs(t, getUser(c, "u"), ErrPlanQuota)
	assert.Equal(t, 1, f.count("GET /users/u"))
}

func TestMessageQuota403IsRateLimited(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	quota403 := apiError(http.StatusForbidden, "forbidden_op", "message send reach limit")
	f.script("GET /users/u", quota403, quota403)

	require.NoError(t, getUser(c, "u"))
	assert.Equal(t, 3, f.count("GET /users/u"))
	assert.EqualValues(t, 2, c.Stats(catalog.GroupUsersGet).RateLimited.Load())

	// Given up on, it matches ErrRateLimited and not ErrForbidden.
	f.script("GET /users/v", quota403, quota403, quota403, quota403)
	err := getUser(c, "v")
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.NotErrorIs(t, err, ErrForbidden)
	assert.Equal(t, 4, f.count("GET /users/v"))

	// Any other 403 is ErrForbidden and not retried.
	f.script("GET /users/w", apiError(http.StatusForbidden, "forbidden_op", "forbidden operation"))
	err = getUser(c, "w")
	assert.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.Equal(t, 1, f.count("GET /users/w"))
}

func Test5xxOnGETRetriedUpToMaxAttempts(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil) // MaxAttempts defaults to 4
	for range 10 {
		f.script("GET /users/u", reply{status: http.StatusServiceUnavailable, body: "Service Unavailable"})
	}
	err := getUser(c, "u")
	var apiErr *Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 4, f.count("GET /users/u"))

	c2 := staticClient(t, f, func(o *Options) { o.Retry.MaxAttempts = 2 })
	require.Error(t, getUser(c2, "u"))
	assert.Equal(t, 6, f.count("GET /users/u"))

	c3 := staticClient(t, f, func(o *Options) { o.Retry.MaxAttempts = 1 })
	require.Error(t, getUser(c3, "u"))
	assert.Equal(t, 7, f.count("GET /users/u"))
}

func Test5xxOnPOST(t *testing.T) {
	body := map[string]string{"username": "u", "password": "p"}
	register := &Request{Op: catalog.UsersRegister, Body: body}

	t.Run("not retried by default", func(t *testing.T) {
		f := newFakeServer(t)
		c := staticClient(t, f, nil)
		f.script("POST /users", reply{status: http.StatusServiceUnavailable, body: "busy"})
		err := c.Do(context.Background(), register)
		var apiErr *Error
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		assert.Equal(t, 1, f.count("POST /users"))
	})
	t.Run("retried with ResendAmbiguous", func(t *testing.T) {
		f := newFakeServer(t)
		c := staticClient(t, f, nil)
		f.script("POST /users",
			reply{status: http.StatusServiceUnavailable, body: "busy"},
			reply{status: http.StatusBadGateway, body: "bad gateway"})
		r := &Request{Op: catalog.UsersRegister, Body: body, Opts: option.Resolve(option.ResendAmbiguous())}
		require.NoError(t, c.Do(context.Background(), r))
		assert.Equal(t, 3, f.count("POST /users"))
	})
	t.Run("rate refusal on POST is retried", func(t *testing.T) {
		f := newFakeServer(t)
		c := staticClient(t, f, nil)
		f.script("POST /users", reachLimit)
		require.NoError(t, c.Do(context.Background(), register))
		assert.Equal(t, 2, f.count("POST /users"))
	})
}

func TestNotFoundNotRetried(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	f.script("GET /users/ghost", apiError(http.StatusNotFound, "service_resource_not_found", "Service resource not found"))

	err := getUser(c, "ghost")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.Equal(t, 1, f.count("GET /users/ghost"))
}

// A Retry-After that the deadline cannot meet returns at once with the
// wait asked for: resending early would pay quota for another refusal.
func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	r := reachLimit
	r.header = http.Header{"Retry-After": {"3600"}}
	f.script("GET /users/u", r)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	err := c.Do(ctx, &Request{Op: catalog.UsersGet, Path: P("username", "u")})
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, time.Hour, e.RetryAfter)
	assert.Less(t, time.Since(start), 10*time.Second, "no wait for a resend that cannot happen")
	assert.Equal(t, 1, f.count("GET /users/u"))
}

// A Retry-After within the deadline is honoured in full, not cut to MaxDelay.
func TestRetryAfterHonoured(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, func(o *Options) { o.Retry.MaxDelay = time.Millisecond })
	r := reachLimit
	r.header = http.Header{"Retry-After": {"1"}}
	f.script("GET /users/u", r)
	start := time.Now()
	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "u")}))
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Equal(t, 2, f.count("GET /users/u"))
}

// A backoff cut short by the context returns an error matching both the
// server's answer and the context's error.
func TestBackoffCutByContext(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, func(o *Options) { o.Retry = option.RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour} })
	f.script("GET /users/u", reply{status: http.StatusServiceUnavailable, body: "busy"})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := c.Do(ctx, &Request{Op: catalog.UsersGet, Path: P("username", "u")})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var e *Error
	assert.ErrorAs(t, err, &e)
}

func TestBackoff(t *testing.T) {
	p := fastRetry.WithDefaults()
	assert.Equal(t, 4, p.MaxAttempts)
	for n := 1; n < 70; n++ {
		d := backoff(p, n)
		assert.Positive(t, d)
		assert.LessOrEqual(t, d, p.MaxDelay)
		if n == 1 {
			assert.LessOrEqual(t, d, p.BaseDelay)
		}
	}
	def := option.RetryPolicy{}.WithDefaults()
	assert.Equal(t, option.RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond, MaxDelay: 5 * time.Second}, def)
}

func TestRetryAfterHeader(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	for _, tc := range []struct {
		header string
		min    time.Duration
		max    time.Duration
	}{
		{"", 0, 0},
		{"7", 7 * time.Second, 7 * time.Second},
		{"soon", 0, 0},
		{time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), 58 * time.Minute, time.Hour},
	} {
		rep := reachLimit
		if tc.header != "" {
			rep.header = http.Header{"Retry-After": {tc.header}}
		}
		f.script("GET /users/ra", rep)
		// send, not Do: the header is read off the raw answer.
		r := &Request{Op: catalog.UsersGet, Path: P("username", "ra")}
		p, err := c.prepare(r)
		require.NoError(t, err)
		resp, err := c.send(context.Background(), r, p, "static")
		require.NoError(t, err)
		got := retryAfter(resp, 0)
		assert.GreaterOrEqual(t, got, tc.min, tc.header)
		assert.LessOrEqual(t, got, tc.max, tc.header)
	}
}

// Message search's 429 names its wait in the body (meta.retryAfter, in
// seconds): it is honoured as a Retry-After header would be.
func TestRetryAfterInTheBodyHonoured(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, func(o *Options) { o.Retry.MaxDelay = time.Millisecond })
	f.script("GET /users/u", reply{status: http.StatusTooManyRequests,
		body: `{"code":4290501,"message":"API rate limit","meta":{"timestamp":1711843200000,"retryAfter":1}}`})
	start := time.Now()
	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "u")}))
	assert.GreaterOrEqual(t, time.Since(start), time.Second)
	assert.Equal(t, 2, f.count("GET /users/u"))
}

// The other documented refusal shapes are rate limits too: translation's
// 400 and the daily broadcast caps' 403s.
func TestOtherRefusalShapesAreRateLimited(t *testing.T) {
	for _, e := range []*Error{
		{StatusCode: http.StatusBadRequest, Code: "illegal_argument", Description: "The request has reached the maximum limit"},
		{StatusCode: http.StatusForbidden, Code: "forbidden_op", Description: "chatroom broadcast limit exceeded"},
		{StatusCode: http.StatusForbidden, Description: "broadcast message limit exceeded"},
		{StatusCode: http.StatusForbidden, Description: "online user broadcast limit exceeded"},
		{StatusCode: http.StatusTooManyRequests, Description: `{"code":4290501}`},
	} {
		assert.True(t, e.RateLimited(), e.Description)
		assert.ErrorIs(t, e, ratelimit.ErrRateLimited, e.Description)
		assert.NotErrorIs(t, e, ErrForbidden, e.Description)
	}
	other := &Error{StatusCode: http.StatusBadRequest, Description: "The input text is too long"}
	assert.False(t, other.RateLimited())
}

func TestErrorDecoding(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)

	f.script("GET /users/a", reply{status: http.StatusBadRequest, body: `{"error":"illegal_argument","exception":"java.lang.IllegalArgumentException","timestamp":1700000000123,"duration":"5","error_description":"username is invalid"}`})
	err := getUser(c, "a")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, Error{
		StatusCode:  http.StatusBadRequest,
		Code:        "illegal_argument",
		Description: "username is invalid",
		Exception:   "java.lang.IllegalArgumentException",
		Timestamp:   time.UnixMilli(1700000000123),
		Duration:    5 * time.Millisecond,
		Op:          "users.Get",
		Group:       "users.get",
	}, *e)
	assert.Contains(t, err.Error(), "users.Get")
	assert.Contains(t, err.Error(), "username is invalid")

	f.script("GET /users/b", reply{status: http.StatusBadRequest, body: `{"error":"illegal_argument","timestamp":"1700000000456"}`})
	require.ErrorAs(t, getUser(c, "b"), &e)
	assert.Equal(t, time.UnixMilli(1700000000456), e.Timestamp)
	assert.Equal(t, "illegal_argument", e.Code)

	f.script("GET /users/c", reply{status: http.StatusBadRequest, body: "<html>Bad Request</html>\n", header: http.Header{"Content-Type": {"text/html"}}})
	require.ErrorAs(t, getUser(c, "c"), &e)
	assert.Equal(t, "<html>Bad Request</html>", e.Description)
	assert.Equal(t, "users.Get", e.Op)
	assert.Equal(t, "users.get", e.Group)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)

	f.script("GET /users/d", reply{status: http.StatusBadRequest})
	require.ErrorAs(t, getUser(c, "d"), &e)
	assert.Contains(t, e.Error(), http.StatusText(http.StatusBadRequest))
}

func TestSuccessDecoding(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)

	type user struct {
		Username  string `json:"username"`
		Created   Int64  `json:"created"`
		Activated Bool   `json:"activated"`
	}
	var out struct {
		Entities []user `json:"entities"`
		Count    Int64  `json:"count"`
	}
	f.script("GET /users/a", reply{status: http.StatusOK, body: `{"entities":[{"username":"a","created":"1700000000000","activated":true}],"count":1}`})
	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "a"), Result: &out}))
	assert.Equal(t, []user{{Username: "a", Created: 1700000000000, Activated: true}}, out.Entities)
	assert.EqualValues(t, 1, out.Count)

	// An empty body where a Result is expected is a decoding error, not a
	// success that leaves the caller's value as it was.
	f.script("GET /users/e", reply{status: http.StatusOK})
	err := c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "e"), Result: &out})
	assert.ErrorIs(t, err, ErrUnexpectedResponse)

	f.script("GET /users/b", reply{status: http.StatusOK, body: `{"entities":[`})
	err = c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "b"), Result: &out})
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "users.Get")
	var e *Error
	assert.False(t, errors.As(err, &e), "a decoding failure is not a server error")
	assert.Equal(t, 1, f.count("GET /users/b"), "a decoding failure is not resent")
}

// A deadline that comes before the quota refuses at once, spends nothing
// and sends nothing.
func TestQuotaWaitPastDeadline(t *testing.T) {
	f := newFakeServer(t)
	// The limiter compares ctx deadlines (wall clock) against its clock, so
	// the manual clock starts at the wall time.
	clock := ratelimit.NewManualClock(time.Now())
	reg := ratelimit.NewRegistry(highQuotas(), ratelimit.WithClock(clock))
	require.NoError(t, reg.Override(testAppKey, ratelimit.Quota{Group: "users.get", Limits: []ratelimit.Limit{
		{Count: 1, Window: time.Minute, Unit: ratelimit.Calls},
	}}))
	o := testOptions(f) // client credentials: the token comes before the quota wait
	o.Limits = reg.App(testAppKey)
	c := newTestClient(t, o)
	lim := c.Limiter(catalog.GroupUsersGet)
	require.True(t, lim.Allow(ratelimit.Cost{}))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.Do(ctx, &Request{Op: catalog.UsersGet, Path: P("username", "u")})
	var we *ratelimit.WaitError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "users.get", we.Group)
	assert.Equal(t, time.Minute+ratelimit.DefaultMargin, we.Wait)
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	for _, r := range f.requests() {
		assert.Equal(t, "POST", r.method, "only the token request went out, never the call")
	}
	assert.Zero(t, c.Stats(catalog.GroupUsersGet).Sent.Load())

	// Nothing was spent: the wait is still exactly one window.
	d, err := lim.Delay(ratelimit.Cost{})
	require.NoError(t, err)
	assert.Equal(t, time.Minute+ratelimit.DefaultMargin, d)
}

// Without a deadline the call waits for quota on the registry's clock.
func TestQuotaWaitThenSend(t *testing.T) {
	f := newFakeServer(t)
	clock := ratelimit.NewManualClock(time.Now())
	reg := ratelimit.NewRegistry(highQuotas(), ratelimit.WithClock(clock))
	require.NoError(t, reg.Override(testAppKey, ratelimit.Quota{Group: "users.get", Limits: []ratelimit.Limit{
		{Count: 1, Window: time.Minute, Unit: ratelimit.Calls},
	}}))
	c := staticClient(t, f, func(o *Options) { o.Limits = reg.App(testAppKey) })

	require.NoError(t, getUser(c, "u"))
	done := make(chan error, 1)
	go func() { done <- getUser(c, "u") }()
	require.Eventually(t, func() bool { return clock.Waiters() == 1 }, 5*time.Second, time.Millisecond)
	assert.Equal(t, 1, f.count("GET /users/u"), "held until quota")
	clock.Advance(time.Minute + ratelimit.DefaultMargin)
	require.NoError(t, <-done)
	assert.Equal(t, 2, f.count("GET /users/u"))
}

// Per-user limits count the username case-insensitively.
func TestScopeIsCaseInsensitive(t *testing.T) {
	f := newFakeServer(t)
	clock := ratelimit.NewManualClock(time.Now())
	c := staticClient(t, f, func(o *Options) {
		o.Limits = ratelimit.NewRegistry(catalog.Groups[:], ratelimit.WithClock(clock)).App(testAppKey)
	})
	op := catalog.ConversationsList
	require.Equal(t, catalog.GroupConversationsList, op.Group)
	for range 5 {
		require.NoError(t, c.Do(context.Background(), &Request{Op: op, Path: P("username", "Alice")}))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.Do(ctx, &Request{Op: op, Path: P("username", "alice")})
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	require.NoError(t, c.Do(ctx, &Request{Op: op, Path: P("username", "bob")}), "another user has its own budget")
}

func TestTransportErrorNamesOp(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	f.srv.Close()
	err := getUser(c, "u")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "users.Get")
}

// A server rate refusal is reported to the limiter, which slows the group.
func TestRateRefusalSlowsTheGroup(t *testing.T) {
	f := newFakeServer(t)
	clock := ratelimit.NewManualClock(time.Now())
	reg := ratelimit.NewRegistry(highQuotas(), ratelimit.WithClock(clock))
	require.NoError(t, reg.Override(testAppKey, ratelimit.Quota{Group: "users.get", Limits: []ratelimit.Limit{
		{Count: 10, Window: time.Minute, Unit: ratelimit.Calls},
	}}))
	c := staticClient(t, f, func(o *Options) { o.Limits = reg.App(testAppKey) })
	f.script("GET /users/u", reachLimit)

	require.NoError(t, getUser(c, "u"))
	st := c.Limiter(catalog.GroupUsersGet).Status()
	assert.Equal(t, int64(1), st.Throttles)
	assert.Equal(t, 9, st.Effective[0].Count)
	assert.Equal(t, 10, st.Configured[0].Count)
}

// 501 is permanent: resending would pay quota for the same answer.
func TestNotImplementedIsNotRetried(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	f.script("GET /users/u", reply{status: http.StatusNotImplemented, body: "no"}, reply{status: http.StatusNotImplemented, body: "no"})
	require.Error(t, getUser(c, "u"))
	assert.Equal(t, 1, f.count("GET /users/u"))
}

// A refusal of a side counted over minutes or days is not resent after a
// backoff: its window would not have room yet. A 1 s side's is.
func TestLongWindowRefusalsAreNotResent(t *testing.T) {
	f := newFakeServer(t)
	c := staticClient(t, f, nil)
	send := func() error {
		return c.Do(context.Background(), &Request{Op: catalog.MessagesSendToUsers,
			Body: map[string]any{"to": []string{"a"}, "type": "txt", "body": map[string]string{"msg": "hi"}}})
	}
	f.script("POST /messages/users", apiError(http.StatusForbidden, "message_send_error", "message send reach limit"))
	assert.ErrorIs(t, send(), ratelimit.ErrRateLimited)
	assert.Equal(t, 1, f.count("POST /messages/users"), "the per-minute message quota: not resent")

	f.script("POST /messages/broadcast", reachLimit)
	err := c.Do(context.Background(), &Request{Op: catalog.MessagesBroadcastToAllUsers,
		Body: map[string]any{"target_type": "users", "msg": map[string]any{"type": "txt", "msg": "hi"}}})
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.Equal(t, 1, f.count("POST /messages/broadcast"), "one call per 30 minutes: not resent")

	f.script("POST /messages/users", reachLimit)
	require.NoError(t, send())
	assert.Equal(t, 3, f.count("POST /messages/users"), "the 100 calls/s side: resent after a backoff")
}
