package easemob_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

// pooledCalls are calls of the groups the newest docs pool into one
// budget, one group each (every pooled group an SDK method serves).
func pooledCalls(c *easemob.Client, seq *atomic.Int64) []func(ctx context.Context) error {
	return []func(ctx context.Context) error{
		func(ctx context.Context) error { _, err := c.Users.Get(ctx, "alice"); return err },
		func(ctx context.Context) error { _, err := c.Users.List(ctx, users.ListParams{Limit: 2}); return err },
		func(ctx context.Context) error { _, err := c.Users.Online(ctx, "alice"); return err },
		func(ctx context.Context) error {
			_, err := c.Users.OnlineBatch(ctx, []string{"alice", "bob"})
			return err
		},
		func(ctx context.Context) error { _, err := c.Users.OfflineMessageCount(ctx, "alice"); return err },
		func(ctx context.Context) error { _, err := c.Users.OfflineMessageStatus(ctx, "alice", "1"); return err },
		func(ctx context.Context) error { _, err := c.Users.Devices(ctx, "alice"); return err },
		func(ctx context.Context) error { return c.Users.Activate(ctx, "bob") },
		func(ctx context.Context) error { _, err := c.Users.Disconnect(ctx, "bob"); return err },
		func(ctx context.Context) error { _, err := c.Users.DisconnectDevice(ctx, "bob", "web_1"); return err },
		func(ctx context.Context) error {
			_, err := c.Users.Register(ctx, users.NewUser{Username: fmt.Sprint("new", seq.Add(1)), Password: "pw"})
			return err
		},
	}
}

// newestDocsServer is an emulator serving the newest docs' table.
func newestDocsServer(t *testing.T) *easemobtest.Server {
	t.Helper()
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(easemob.Quotas(easemob.NewestDocs)...))
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddUser("bob", "pw"))
	return srv
}

// A service on the newest docs' profile, driven at full speed across the
// pooled account APIs, meets no 429 from a server counting by the same
// table, and the server never sees more than the pool's 100 calls in a
// second.
func TestNewestDocsProfileSpendsOnePooledBudget(t *testing.T) {
	srv := newestDocsServer(t)
	c := newClient(t, srv, easemob.NewRegistryFor(easemob.NewestDocs, ratelimit.WithMargin(testMargin())))
	var seq atomic.Int64
	calls := pooledCalls(c, &seq)
	var turn atomic.Int64
	n := hammer(t, 64, 3*time.Second, func(ctx context.Context, _ int) error {
		return calls[int(turn.Add(1))%len(calls)](ctx)
	})

	pool := srv.Stats("users.account")
	t.Logf("%d calls over %d pooled groups; busiest second at the server: %d of 100", n, len(calls), pool.MaxInWindow[0])
	assert.Zero(t, srv.TotalRateLimited(), "no 429 from the server")
	assert.Zero(t, pool.RateLimited)
	assert.LessOrEqual(t, pool.MaxInWindow[0], 100, "the pool never above 100 in any 1 s window")
	assert.Greater(t, n, int64(200), "the pool was saturated: about 100 calls a second")
	assert.Less(t, n, int64(len(calls)*100), "not one budget per group")
	for _, st := range c.Stats() {
		assert.Zero(t, st.RateLimited, st.Group)
		if st.Group != easemob.GroupAuthToken {
			assert.Equal(t, "users.account", st.Limiter.Group, "%s spends the pool", st.Group)
		}
	}
	assert.Len(t, c.Stats(), len(calls)+1, "every pooled group was called (and the token)")
}

// The same drive on the seed table's registry, one budget per group, sends
// far more than the pool allows: the server refuses calls. The test above
// passes because of the profile.
func TestSeedTableOverrunsThePool(t *testing.T) {
	srv := newestDocsServer(t)
	c := newClient(t, srv, easemob.NewRegistry(ratelimit.WithoutAdaptation(), ratelimit.WithMargin(testMargin())))
	var seq atomic.Int64
	calls := pooledCalls(c, &seq)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	for i := range 64 {
		go func() {
			defer func() { done <- struct{}{} }()
			for ctx.Err() == nil {
				_ = calls[i%len(calls)](ctx) // refusals are what this test counts
			}
		}()
	}
	for range 64 {
		<-done
	}
	assert.Positive(t, srv.TotalRateLimited(), "the server refused the overrun")
	assert.Greater(t, srv.Stats("users.account").MaxInWindow[0], 100)
}

func TestQuotasByProfile(t *testing.T) {
	assert.Equal(t, easemob.DefaultQuotas(), easemob.Quotas(easemob.SeedTable))
	newest := easemob.Quotas(easemob.NewestDocs)
	require.Len(t, newest, len(easemob.DefaultQuotas()))
	byGroup := map[string]ratelimit.Quota{}
	for _, q := range newest {
		byGroup[q.Group] = q
	}
	hundred := []ratelimit.Limit{{Count: 100, Window: time.Second}}
	for _, g := range []string{easemob.GroupUsersAccountWrite, easemob.GroupUsersGetStatusBatch, easemob.GroupPushBinding} {
		assert.Equal(t, ratelimit.Quota{Group: g, Limits: hundred, Pool: "users.account"}, byGroup[g])
	}
	assert.Empty(t, byGroup[easemob.GroupUsersDeleteBatch].Pool, "batch delete keeps its 30/s")
	assert.Empty(t, byGroup[easemob.GroupMessagesSendUsers].Pool)

	newest[0].Limits[0].Count = 1
	assert.Equal(t, 100, easemob.Quotas(easemob.NewestDocs)[0].Limits[0].Count, "a fresh copy")
	assert.Panics(t, func() { easemob.Quotas(easemob.QuotaProfile(9)) })
	assert.Equal(t, "newest", easemob.NewestDocs.String())

	// Every profile of the data is offered.
	assert.Len(t, catalog.Profiles, 1, "a new profile in data/quotas.json needs its QuotaProfile")
	reg := easemob.NewRegistryFor(easemob.NewestDocs)
	app := reg.App("org#app")
	assert.Same(t, app.Limiter(easemob.GroupUsersGet), app.Limiter(easemob.GroupPushBinding))
	assert.NotSame(t, app.Limiter(easemob.GroupUsersGet), app.Limiter(easemob.GroupUsersDeleteBatch))
}
