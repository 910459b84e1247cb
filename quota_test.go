package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

// testMargin is the limiter margin these tests run with: the default
// absorbs loopback jitter, but the race detector stretches the time between
// a grant and the server's count to ~20 ms at p99 on a loaded 2-core
// machine, so the margin follows it.
func testMargin() time.Duration {
	if raceEnabled {
		return 50 * time.Millisecond
	}
	return ratelimit.DefaultMargin
}

func newRegistry() *ratelimit.Registry {
	return easemob.NewRegistry(ratelimit.WithMargin(testMargin()))
}

func newClient(t *testing.T, srv *easemobtest.Server, reg *ratelimit.Registry) *easemob.Client {
	t.Helper()
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: reg,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// hammer runs callers goroutines calling fn until d has passed and returns
// the number of calls that succeeded; any error fails the test.
func hammer(t *testing.T, callers int, d time.Duration, fn func(ctx context.Context, i int) error) int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			for ctx.Err() == nil {
				err := fn(ctx, i)
				if errors.Is(err, context.DeadlineExceeded) {
					return // the run's deadline refused the wait: not a server answer
				}
				if !assert.NoError(t, err) {
					return
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	return ok.Load()
}

// TestManyCallersNeverExceedQuota drives 200 goroutines through one group
// and checks the emulator's own count: no 429 and no window over quota.
func TestManyCallersNeverExceedQuota(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv, newRegistry())

	calls := hammer(t, 200, 3*time.Second, func(ctx context.Context, _ int) error {
		_, err := c.Users.Get(ctx, "alice")
		return err
	})

	st := srv.Stats(easemob.GroupUsersGet)
	limit := limiterOf(t, c, easemob.GroupUsersGet).Limits()[0]
	t.Logf("%d calls, busiest %s window at the server: %d of %d", calls, limit.Window, st.MaxInWindow[0], limit.Count)
	assert.Zero(t, st.RateLimited, "no 429 from the server")
	assert.Zero(t, srv.TotalRateLimited())
	assert.LessOrEqual(t, st.MaxInWindow[0], limit.Count, "never above quota in any window")
	assert.Greater(t, calls, int64(limit.Count), "the test did saturate the quota")
}

// TestClientsOfOneAppKeyShareABudget runs two clients of one App Key on one
// registry: together they stay within the quota.
func TestClientsOfOneAppKeyShareABudget(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("bob", "pw"))
	reg := newRegistry()
	clients := []*easemob.Client{newClient(t, srv, reg), newClient(t, srv, reg)}

	hammer(t, 40, 2*time.Second, func(ctx context.Context, i int) error {
		_, err := clients[i%2].Users.Online(ctx, "bob")
		return err
	})

	st := srv.Stats(easemob.GroupUsersGetStatus)
	assert.Zero(t, st.RateLimited)
	assert.LessOrEqual(t, st.MaxInWindow[0], limiterOf(t, clients[0], easemob.GroupUsersGetStatus).Limits()[0].Count)
}

// TestDeadlineRefusesAtOnce checks that a call whose deadline comes before
// its quota fails at once, matching both sentinels, and sends nothing.
func TestDeadlineRefusesAtOnce(t *testing.T) {
	srv := easemobtest.NewServer(t)
	reg := newRegistry()
	// One call a minute: once it is spent, the next is a minute away.
	require.NoError(t, reg.Override(srv.AppKey, ratelimit.Quota{Group: easemob.GroupUsersChangePassword,
		Limits: []ratelimit.Limit{{Count: 1, Window: time.Minute}}}))
	require.NoError(t, srv.AddUser("erin", "pw"))
	c := newClient(t, srv, reg)
	_, err := c.Users.Online(context.Background(), "erin") // fetches the token
	require.NoError(t, err)
	lim := limiterOf(t, c, easemob.GroupUsersChangePassword)
	require.True(t, lim.Allow(ratelimit.Cost{}))

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	err = c.Users.ChangePassword(ctx, "erin", "pw2")
	assert.Less(t, time.Since(start), time.Second/2, "refused at once, not at the deadline")
	assert.ErrorIs(t, err, easemob.ErrRateLimited)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var we *easemob.WaitError
	require.ErrorAs(t, err, &we)
	assert.Greater(t, we.Wait, 59*time.Second)
	assert.Zero(t, srv.Stats(easemob.GroupUsersChangePassword).Received, "nothing was sent")

	wait, err := lim.Delay(ratelimit.Cost{})
	require.NoError(t, err)
	assert.Greater(t, wait, 59*time.Second, "and nothing was spent: the slot is still a minute away")
}

func ExampleNew() {
	srv := easemobtest.New()
	ts := httptestServer(srv)
	defer ts.Close()

	c, err := easemob.New(easemob.Config{
		AppKey:       srv.AppKey(),
		BaseURL:      ts.URL,
		ClientID:     srv.ClientID(),
		ClientSecret: srv.ClientSecret(),
	})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Users.Register(ctx, users.NewUser{Username: "alice", Password: "s3cret"}); err != nil {
		panic(err)
	}
	u, err := c.Users.Get(ctx, "alice")
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Username, u.Activated)
	// Output: alice true
}

// TestZero429AgainstEveryServerAlgorithm runs the default limiter against
// each way the server may count: sliding window, fixed window, token bucket.
func TestZero429AgainstEveryServerAlgorithm(t *testing.T) {
	for _, alg := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow, easemobtest.TokenBucket} {
		t.Run(alg.String(), func(t *testing.T) {
			srv := easemobtest.NewServer(t, easemobtest.WithAlgorithm(alg))
			require.NoError(t, srv.AddUser("frank", "pw"))
			c := newClient(t, srv, newRegistry())
			calls := hammer(t, 100, 1500*time.Millisecond, func(ctx context.Context, _ int) error {
				_, err := c.Users.Get(ctx, "frank")
				return err
			})
			st := srv.Stats(easemob.GroupUsersGet)
			assert.Zero(t, st.RateLimited, "%d calls", calls)
			assert.LessOrEqual(t, st.MaxInWindow[0], 100)
			assert.Greater(t, calls, int64(100), "the quota was saturated")
		})
	}
}
