package ratelimit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

func table() []ratelimit.Quota {
	return []ratelimit.Quota{
		{Group: "users.get", Limits: []ratelimit.Limit{{Count: 3, Window: time.Second}}},
		{Group: "messages.send", Limits: []ratelimit.Limit{
			{Count: 5, Window: time.Second},
			{Count: 1, Window: time.Minute, Per: "username"},
			{Count: 3, Window: time.Second, Unit: ratelimit.Messages},
		}},
	}
}

func fill(t *testing.T, l *ratelimit.Limiter, c ratelimit.Cost) int {
	t.Helper()
	n := 0
	for l.Allow(c) {
		n++
		require.Less(t, n, 1000, "limiter never fills")
	}
	return n
}

func TestSafetyFactorHalvesCounts(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()), ratelimit.WithSafetyFactor(0.5))
	app := reg.App("app")

	assert.Equal(t, 1, app.Limiter("users.get").Limits()[0].Count, "floor(1.5)")
	got := app.Limiter("messages.send").Limits()
	require.Len(t, got, 3)
	assert.Equal(t, 2, got[0].Count)
	assert.Equal(t, 1, got[1].Count, "never below one")
	assert.Equal(t, 1, got[2].Count)

	assert.Equal(t, 1, fill(t, app.Limiter("users.get"), one))
	assert.Equal(t, 1, fill(t, app.Limiter("messages.send"), ratelimit.Cost{Scope: "a"}))
	assert.Equal(t, time.Minute, got[1].Window, "windows are not scaled")

	assert.Panics(t, func() { ratelimit.NewRegistry(table(), ratelimit.WithSafetyFactor(0)) })
	assert.Panics(t, func() { ratelimit.NewRegistry(table(), ratelimit.WithSafetyFactor(1.5)) })
}

func TestOverrideRaisesLimitAtOnce(t *testing.T) {
	clk := newClock()
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(clk))
	l := reg.App("app").Limiter("users.get")
	require.Equal(t, 3, fill(t, l, one))

	raise := func(n int) {
		require.NoError(t, reg.Override("app", ratelimit.Quota{
			Group:  "users.get",
			Limits: []ratelimit.Limit{{Count: n, Window: time.Second}},
		}))
	}
	raise(5)
	assert.Equal(t, 5, l.Limits()[0].Count)
	assert.Equal(t, 2, fill(t, l, one), "the 3 calls spent still count")

	// A caller queued under the old limit goes as soon as a raise makes
	// room, without waiting for the clock.
	ch := waitAsync(context.Background(), l, one)
	waitParked(t, clk, l, 1)
	raise(10)
	require.NoError(t, result(t, ch))
	assert.Equal(t, 4, fill(t, l, one), "10 per window: 5 spent before, 1 by the queued call")

	// Limiters created later for that App Key get the override too; other
	// App Keys keep the default.
	assert.Equal(t, 10, reg.App("app").Limiter("users.get").Limits()[0].Count)
	assert.Equal(t, 3, reg.App("other").Limiter("users.get").Limits()[0].Count)
	require.NoError(t, reg.Override("late", ratelimit.Quota{
		Group:  "users.get",
		Limits: []ratelimit.Limit{{Count: 7, Window: time.Second}},
	}))
	assert.Equal(t, 7, fill(t, reg.App("late").Limiter("users.get"), one))
}

func TestOverrideLowersLimitKeepingHistory(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()))
	l := reg.App("app").Limiter("users.get")
	require.True(t, l.Allow(one))
	require.True(t, l.Allow(one))
	require.NoError(t, reg.Override("app", ratelimit.Quota{
		Group:  "users.get",
		Limits: []ratelimit.Limit{{Count: 2, Window: time.Second}},
	}))
	assert.False(t, l.Allow(one), "the two calls spent already fill the new limit")
}

func TestOverrideIsScaledBySafetyFactor(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()), ratelimit.WithSafetyFactor(0.5))
	require.NoError(t, reg.Override("app", ratelimit.Quota{
		Group:  "users.get",
		Limits: []ratelimit.Limit{{Count: 10, Window: time.Second}},
	}))
	assert.Equal(t, 5, fill(t, reg.App("app").Limiter("users.get"), one))
}

func TestOverrideErrors(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()))
	err := reg.Override("app", ratelimit.Quota{Group: "nope", Limits: []ratelimit.Limit{{Count: 1, Window: time.Second}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nope")
	assert.Error(t, reg.Override("app", ratelimit.Quota{Group: "users.get"}), "no limits")
	assert.Error(t, reg.Override("app", ratelimit.Quota{
		Group:  "users.get",
		Limits: []ratelimit.Limit{{Count: 0, Window: time.Second}},
	}))
	assert.Equal(t, 3, reg.App("app").Limiter("users.get").Limits()[0].Count, "a failed override changes nothing")
}

// A caller's table need not be in the registry's order: Limiters resolves
// each of its names to the limiter of that group, so a call spends its own
// group's budget.
func TestLimitersResolveByName(t *testing.T) {
	quotas := table()
	slices.Reverse(quotas)
	reg := ratelimit.NewRegistry(quotas, ratelimit.WithClock(newClock()))
	app := reg.App("app")

	want := table()
	names := []string{want[0].Group, want[1].Group}
	got, err := app.Limiters(names)
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i, q := range want {
		assert.Equal(t, q.Group, got[i].Group())
		assert.Equal(t, q.Limits, got[i].Limits())
	}
	assert.Equal(t, 3, fill(t, got[0], one), "users.get's own 3 calls per second")

	_, err = app.Limiters(append(names, "chat.nope"))
	require.ErrorIs(t, err, ratelimit.ErrUnknownGroup)
	assert.EqualError(t, err, `ratelimit: registry has no group "chat.nope"`)
	assert.Nil(t, app.Limiter("chat.nope"))
}

func TestAppKeysAreIsolated(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()))
	a, b := reg.App("a"), reg.App("b")
	require.Equal(t, 3, fill(t, a.Limiter("users.get"), one))
	assert.Equal(t, 3, fill(t, b.Limiter("users.get"), one))
	// Same scope value under two App Keys: two budgets.
	alice := ratelimit.Cost{Scope: "alice"}
	require.Equal(t, 1, fill(t, a.Limiter("messages.send"), alice))
	assert.Equal(t, 1, fill(t, b.Limiter("messages.send"), alice))
}

func TestSameAppKeySharesLimiters(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()))
	a1, a2 := reg.App("k"), reg.App("k")
	require.Same(t, a1, a2)
	assert.Equal(t, "k", a1.Key())
	for i, g := range reg.Groups() {
		assert.Same(t, a1.At(i), a2.Limiter(g))
		assert.Equal(t, g, a1.At(i).Group())
	}
	assert.Nil(t, a1.Limiter("nope"))

	require.Equal(t, 3, fill(t, a1.Limiter("users.get"), one))
	assert.False(t, a2.Limiter("users.get").Allow(one), "one budget per App Key")
}

func TestSameAppKeyFromManyGoroutines(t *testing.T) {
	reg := ratelimit.NewRegistry(table(), ratelimit.WithClock(newClock()))
	apps := make(chan *ratelimit.App, 16)
	for range cap(apps) {
		go func() { apps <- reg.App("k") }()
	}
	first := <-apps
	for range cap(apps) - 1 {
		assert.Same(t, first, <-apps)
	}
}

func TestNewRegistryRejectsBadTables(t *testing.T) {
	lim := ratelimit.Limit{Count: 1, Window: time.Second}
	for name, q := range map[string][]ratelimit.Quota{
		"no limits":  {{Group: "g"}},
		"zero count": {{Group: "g", Limits: []ratelimit.Limit{{Window: time.Second}}}},
		"no window":  {{Group: "g", Limits: []ratelimit.Limit{{Count: 1}}}},
		"duplicate":  {{Group: "g", Limits: []ratelimit.Limit{lim}}, {Group: "g", Limits: []ratelimit.Limit{lim}}},
		"five sides": {{Group: "g", Limits: []ratelimit.Limit{lim, lim, lim, lim, lim}}},
	} {
		assert.Panics(t, func() { ratelimit.NewRegistry(q) }, name)
	}
}

func overrideG(t *testing.T, reg *ratelimit.Registry, limits ...ratelimit.Limit) {
	t.Helper()
	require.NoError(t, reg.Override("app", ratelimit.Quota{Group: "g", Limits: limits}))
}

// An override that adds a side must not forget the calls spent on the
// sides it keeps, nor the calls queued; a call that gives up moves the
// queue up.
func TestOverrideAddingASideKeepsHistoryAndQueue(t *testing.T) {
	perSecond := ratelimit.Limit{Count: 1, Window: time.Second}
	clk := newClock()
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{perSecond}}}, ratelimit.WithClock(clk))
	l := reg.App("app").Limiter("g")
	slot := time.Second + margin

	require.True(t, l.Allow(one))
	ctx, cancel := context.WithCancel(context.Background())
	b := waitAsync(ctx, l, one) // first in the queue
	waitParked(t, clk, l, 1)

	overrideG(t, reg, perSecond, ratelimit.Limit{Count: 100, Window: time.Minute})
	assert.False(t, l.Allow(one), "the call spent before the override still counts")
	d := waitAsync(context.Background(), l, one) // second in the queue
	waitParked(t, clk, l, 2)
	next := delay(t, l, one)
	assert.Equal(t, 3*slot, next, "a new call queues behind b and d")

	cancel()
	require.ErrorIs(t, result(t, b), context.Canceled)
	next = delay(t, l, one)
	assert.Equal(t, 2*slot, next, "b's turn went to d, d's to the next call")

	waitParked(t, clk, l, 1)
	clk.Advance(slot)
	require.NoError(t, result(t, d))
	assert.False(t, l.Allow(one))
}

func TestOverrideChangingSidesKeepsScopeHistory(t *testing.T) {
	perUser := ratelimit.Limit{Count: 2, Window: time.Minute, Per: "username"}
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{perUser}}}, ratelimit.WithClock(newClock()))
	l := reg.App("app").Limiter("g")
	alice := ratelimit.Cost{Scope: "alice"}
	require.Equal(t, 2, fill(t, l, alice))

	overrideG(t, reg, ratelimit.Limit{Count: 100, Window: time.Second}, perUser,
		ratelimit.Limit{Count: 50, Window: time.Minute, Per: "username", Unit: ratelimit.Messages})
	assert.False(t, l.Allow(alice), "alice's 2 calls still count after sides were added")
	assert.Equal(t, 2, fill(t, l, ratelimit.Cost{Scope: "bob"}))

	overrideG(t, reg, perUser)
	assert.False(t, l.Allow(alice), "nor after sides were dropped")
	assert.False(t, l.Allow(ratelimit.Cost{Scope: "bob"}))
}

func TestOverrideChangingAWindowKeepsHistory(t *testing.T) {
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: []ratelimit.Limit{
		{Count: 2, Window: time.Second},
	}}}, ratelimit.WithClock(newClock()))
	l := reg.App("app").Limiter("g")
	require.Equal(t, 2, fill(t, l, one))
	overrideG(t, reg, ratelimit.Limit{Count: 3, Window: 2 * time.Second})
	assert.Equal(t, 1, fill(t, l, one), "3 per 2s with 2 already spent")
}
