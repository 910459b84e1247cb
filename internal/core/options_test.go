package core

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Per-call options: NoWait and MaxWait refuse at once without spending;
// CaptureResponse records the answer; Header goes on the wire.
func TestCallOptions(t *testing.T) {
	f := newFakeServer(t)
	clock := ratelimit.NewManualClock(time.Now())
	one := []ratelimit.Quota{{Group: catalog.Groups[catalog.GroupUsersGet].Group, Limits: []ratelimit.Limit{{Count: 1, Window: time.Minute}}}}
	c := staticClient(t, f, func(o *Options) {
		reg := ratelimit.NewRegistry(highQuotas(), ratelimit.WithClock(clock))
		require.NoError(t, reg.Override(testAppKey, one[0]))
		o.Limits = reg.App(testAppKey)
	})
	ctx := context.Background()
	var resp option.Response
	f.script("GET /users/a", reply{status: http.StatusOK, body: `{}`, header: http.Header{"X-Request-Id": {"rid-1"}}})
	r := &Request{Op: catalog.UsersGet, Path: P("username", "a"),
		Opts: option.Resolve(option.CaptureResponse(&resp), option.Header("X-Trace", "t1"))}
	require.NoError(t, c.Do(ctx, r))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "rid-1", resp.RequestID)
	assert.Equal(t, "t1", f.lastHeader("X-Trace"))

	for name, opts := range map[string]option.Settings{
		"NoWait":  option.Resolve(option.NoWait()),
		"MaxWait": option.Resolve(option.MaxWait(time.Second)),
	} {
		r := &Request{Op: catalog.UsersGet, Path: P("username", "b"), Opts: opts}
		err := c.Do(ctx, r)
		var we *ratelimit.WaitError
		require.ErrorAs(t, err, &we, name)
		assert.Greater(t, we.Wait, 50*time.Second, name)
		assert.False(t, r.Sent(), name)
	}
	assert.Equal(t, 1, f.count("GET /users/a")+f.count("GET /users/b"), "refusals spent nothing")
}
