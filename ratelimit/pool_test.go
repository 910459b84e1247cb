package ratelimit_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

// pooled is a table where two groups share one budget and a third has its own.
func pooled() []ratelimit.Quota {
	three := []ratelimit.Limit{{Count: 3, Window: time.Second}}
	return []ratelimit.Quota{
		{Group: "users.get", Limits: three, Pool: "users.account"},
		{Group: "users.other", Limits: []ratelimit.Limit{{Count: 2, Window: time.Second}}},
		{Group: "users.delete", Limits: three, Pool: "users.account"},
	}
}

func TestPooledGroupsSpendOneLimiter(t *testing.T) {
	clk := newClock()
	reg := ratelimit.NewRegistry(pooled(), ratelimit.WithClock(clk))
	app := reg.App("app")
	get, del, other := app.Limiter("users.get"), app.Limiter("users.delete"), app.Limiter("users.other")
	require.Same(t, get, del, "one limiter for the pool")
	assert.Same(t, get, app.Limiter("users.account"), "found by the pool's name too")
	assert.Equal(t, "users.account", get.Group())
	assert.Equal(t, []string{"users.get", "users.other", "users.delete"}, reg.Groups(), "the groups stay groups")

	require.True(t, get.Allow(one))
	require.True(t, del.Allow(one))
	require.True(t, get.Allow(one))
	assert.False(t, del.Allow(one), "three calls over both groups fill the pool")
	assert.Equal(t, 2, fill(t, other, one), "a group outside the pool keeps its budget")
	clk.Advance(time.Second + ratelimit.DefaultMargin)
	assert.True(t, del.Allow(one))

	lims, err := app.Limiters([]string{"users.delete", "users.get"})
	require.NoError(t, err)
	assert.Same(t, lims[0], lims[1])
	assert.NotSame(t, get, reg.App("other app").Limiter("users.get"), "a pool is per App Key")
}

func TestOverrideOfAPooledGroupChangesThePool(t *testing.T) {
	reg := ratelimit.NewRegistry(pooled(), ratelimit.WithClock(newClock()))
	five := []ratelimit.Limit{{Count: 5, Window: time.Second}}
	require.NoError(t, reg.Override("app", ratelimit.Quota{Group: "users.delete", Limits: five}))
	app := reg.App("app")
	assert.Equal(t, five, app.Limiter("users.get").Limits())
	assert.Equal(t, 5, fill(t, app.Limiter("users.get"), one))

	// A limiter made after the override gets it for every group of the pool.
	require.NoError(t, reg.Override("late", ratelimit.Quota{Group: "users.get", Limits: five, Pool: "users.account"}))
	late := reg.App("late")
	assert.Same(t, late.Limiter("users.get"), late.Limiter("users.delete"))
	assert.Equal(t, five, late.Limiter("users.delete").Limits())

	assert.Error(t, reg.Override("app", ratelimit.Quota{Group: "users.get", Limits: five, Pool: "elsewhere"}), "pooling is the table's")
	assert.Error(t, reg.Override("app", ratelimit.Quota{Group: "users.other", Limits: five, Pool: "users.account"}))
	assert.Error(t, reg.Override("app", ratelimit.Quota{Group: "users.get",
		Limits: []ratelimit.Limit{{Count: 1, Window: time.Minute, Per: "username"}}}), "a pool has no per-user side")
	assert.Equal(t, 2, reg.App("app").Limiter("users.other").Limits()[0].Count, "failed overrides change nothing")
}

func TestMalformedPoolsPanic(t *testing.T) {
	for name, edit := range map[string]func([]ratelimit.Quota){
		"unequal limits": func(q []ratelimit.Quota) { q[2].Limits = []ratelimit.Limit{{Count: 4, Window: time.Second}} },
		"per user": func(q []ratelimit.Quota) {
			per := []ratelimit.Limit{{Count: 3, Window: time.Second, Per: "username"}}
			q[0].Limits, q[2].Limits = per, per
		},
		"named like a group": func(q []ratelimit.Quota) { q[0].Pool, q[2].Pool = "users.other", "users.other" },
	} {
		q := pooled()
		edit(q)
		assert.Panics(t, func() { ratelimit.NewRegistry(q) }, name)
	}
}
