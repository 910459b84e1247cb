package easemobtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// Groups that name one pool spend one budget, as the SDK's registry counts
// them; the pool's stats sum its groups'.
func TestPooledGroupsShareOneBudget(t *testing.T) {
	clock := newClock()
	three := []ratelimit.Limit{{Count: 3, Window: time.Second}}
	srv := easemobtest.NewServer(t, easemobtest.WithClock(clock.Now), easemobtest.WithQuotas(
		ratelimit.Quota{Group: "users.get", Limits: three, Pool: "users.account"},
		ratelimit.Quota{Group: "users.get_status", Limits: three, Pool: "users.account"}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	for _, path := range []string{"/users/alice", "/users/alice/status", "/users/alice"} {
		status, body := c.call("GET", path, nil)
		require.Equal(t, http.StatusOK, status, body)
	}
	status, body := c.call("GET", "/users/alice/status", nil)
	assertError(t, status, body, 429, "reach_limit", "")
	status, _ = c.call("GET", "/users", nil)
	assert.Equal(t, http.StatusOK, status, "a group outside the pool keeps its budget")

	assert.Equal(t, easemobtest.GroupStats{Received: 4, Accepted: 3, RateLimited: 1, MaxInWindow: []int{4}}, srv.Stats("users.account"))
	assert.Equal(t, easemobtest.GroupStats{Received: 2, Accepted: 2, MaxInWindow: []int{4}}, srv.Stats("users.get"),
		"a pooled group's window counts the pool")
	clock.Advance(time.Second)
	status, _ = c.call("GET", "/users/alice/status", nil)
	assert.Equal(t, http.StatusOK, status)
}

func TestMalformedPoolsAreRefused(t *testing.T) {
	three := []ratelimit.Limit{{Count: 3, Window: time.Second}}
	for name, quotas := range map[string][]ratelimit.Quota{
		"unequal limits": {
			{Group: "users.get", Limits: three, Pool: "p.p"},
			{Group: "users.list", Limits: []ratelimit.Limit{{Count: 4, Window: time.Second}}, Pool: "p.p"}},
		"per user":           {{Group: "users.get", Limits: []ratelimit.Limit{{Count: 3, Window: time.Second, Per: "username"}}, Pool: "p.p"}},
		"named like a group": {{Group: "users.get", Limits: three, Pool: "users.list"}},
	} {
		assert.Panics(t, func() { easemobtest.New(easemobtest.WithQuotas(quotas...)) }, name)
	}
}
