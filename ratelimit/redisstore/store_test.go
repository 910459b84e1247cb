package redisstore_test

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

const (
	margin = 20 * time.Millisecond
	span   = time.Second + margin // a 1 s window plus margin
	// slack covers the time between calls of one test: Redis's clock moves
	// on while the test runs, so a wait is a little under the full span.
	slack = 150 * time.Millisecond
	// testTimeout is generous: the race detector slows the client, and
	// these tests are about decisions, not deadlines.
	testTimeout = 2 * time.Second
)

var (
	perSecond = ratelimit.Limit{Count: 3, Window: time.Second}
	messages  = ratelimit.Limit{Count: 100, Window: time.Second, Unit: ratelimit.Messages}
)

// newStore returns a store with a prefix of its own on client.
func newStore(client redis.UniversalClient, opts ...redisstore.Option) (*redisstore.Store, string) {
	prefix := redistest.Prefix()
	opts = append([]redisstore.Option{redisstore.WithPrefix(prefix), redisstore.WithTimeout(testTimeout)}, opts...)
	return redisstore.New(client, opts...), prefix
}

func request(limits []ratelimit.Limit, units ...int64) ratelimit.StoreRequest {
	return ratelimit.StoreRequest{AppKey: "org#app", Group: "g", Limits: limits, Units: units, Margin: margin}
}

// reserve calls Reserve and fails the test on an error.
func reserve(t *testing.T, s *redisstore.Store, r ratelimit.StoreRequest) (time.Duration, bool) {
	t.Helper()
	wait, ok, err := s.Reserve(context.Background(), r)
	require.NoError(t, err)
	return wait, ok
}

// admitNow spends r with MaxWait 0 until it is refused and returns how many
// calls got through.
func admitNow(t *testing.T, s *redisstore.Store, r ratelimit.StoreRequest) int {
	t.Helper()
	r.MaxWait = 0
	for n := 0; ; n++ {
		wait, ok := reserve(t, s, r)
		if !ok {
			assert.Positive(t, wait)
			return n
		}
		require.Zero(t, wait)
		require.Less(t, n, 1000, "never refused")
	}
}

func assertNear(t *testing.T, want, got time.Duration) {
	t.Helper()
	assert.LessOrEqual(t, got, want)
	assert.Greater(t, got, want-slack)
}

func TestBurstThenWait(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	r := request([]ratelimit.Limit{perSecond}, 1)
	r.Pace = ratelimit.DefaultPace // a burst of 3 is under the paced minimum: no effect

	for range 3 {
		wait, ok := reserve(t, s, r)
		require.True(t, ok)
		require.Zero(t, wait)
	}
	wait, ok := reserve(t, s, r)
	assert.False(t, ok)
	assertNear(t, span, wait)

	// With no bound on the wait the next calls queue one window later, in
	// order, and the fourth queued one a window after that.
	r.MaxWait = -1
	for range 3 {
		wait, ok := reserve(t, s, r)
		require.True(t, ok)
		assertNear(t, span, wait)
	}
	wait, ok = reserve(t, s, r)
	require.True(t, ok)
	assertNear(t, 2*span, wait)
}

func TestPacedBurst(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	lim := ratelimit.Limit{Count: 50, Window: time.Second}
	r := request([]ratelimit.Limit{lim}, 1)
	r.Pace = ratelimit.DefaultPace

	// 50 per 100 ms is 5, under the minimum burst of 10.
	assert.Equal(t, 10, admitNow(t, s, r))
	interval := span / 50
	r.MaxWait = -1
	prev := time.Duration(0)
	for i := range 5 {
		wait, ok := reserve(t, s, r)
		require.True(t, ok)
		assertNear(t, time.Duration(i+1)*interval, wait)
		assert.Greater(t, wait, prev)
		prev = wait
	}
}

func TestMaxWaitRefusalSpendsNothing(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	r := request([]ratelimit.Limit{perSecond}, 1)
	require.Equal(t, 3, admitNow(t, s, r))

	r.MaxWait = span / 2
	for range 5 {
		wait, ok := reserve(t, s, r)
		assert.False(t, ok)
		assertNear(t, span, wait)
	}
	// Had a refusal spent anything, the third slot would be a window later.
	r.MaxWait = -1
	for range 3 {
		wait, ok := reserve(t, s, r)
		require.True(t, ok)
		assertNear(t, span, wait)
	}
}

func TestAllOrNothingAcrossUnits(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	limits := []ratelimit.Limit{perSecond, messages}

	_, ok := reserve(t, s, request(limits, 1, 95))
	require.True(t, ok)
	for range 5 {
		wait, ok := reserve(t, s, request(limits, 1, 10)) // messages do not fit
		require.False(t, ok)
		assertNear(t, span, wait)
	}
	// The refusals took no calls: two more fit, then calls are full.
	for range 2 {
		_, ok := reserve(t, s, request(limits, 1, 1))
		require.True(t, ok)
	}
	wait, ok := reserve(t, s, request(limits, 1, 1))
	assert.False(t, ok)
	assertNear(t, span, wait)
}

func TestScopeBoundCallSpendsNothingShared(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	limits := []ratelimit.Limit{
		{Count: 10, Window: time.Second},
		{Count: 2, Window: time.Second, Per: "username"},
	}
	call := func(scope string, maxWait time.Duration) (time.Duration, bool) {
		r := request(limits, 1, 1)
		r.Scope, r.MaxWait = scope, maxWait
		return reserve(t, s, r)
	}

	for range 2 {
		_, ok := call("alice", 0)
		require.True(t, ok)
	}
	// Alice's own limit holds her back: even with no bound on the wait she
	// gets a retry time, not a reservation.
	for range 3 {
		wait, ok := call("alice", -1)
		require.False(t, ok)
		assertNear(t, span, wait)
	}
	// So the App Key still has 8 of its 10 for everyone else.
	for i := range 8 {
		_, ok := call("user"+strconv.Itoa(i), 0)
		require.True(t, ok, "call %d", i)
	}
	wait, ok := call("carol", 0)
	require.False(t, ok)
	assertNear(t, span, wait)
	// Held back by the App Key side only, carol may reserve ahead.
	wait, ok = call("carol", -1)
	require.True(t, ok)
	assertNear(t, span, wait)
}

func TestThreeSides(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	limits := []ratelimit.Limit{
		{Count: 5, Window: time.Second},
		{Count: 20, Window: time.Minute, Unit: ratelimit.Messages},
		{Count: 3, Window: time.Minute, Per: "username"},
	}
	r := request(limits, 1, 4, 1)
	r.Scope = "alice"
	require.Equal(t, 3, admitNow(t, s, r)) // alice's 3 per minute
	r.Scope = "bob"
	require.Equal(t, 2, admitNow(t, s, r)) // 5 calls per second
	// Messages: 20 of 20 spent, so bob must wait for the minute window.
	r.MaxWait = -1
	wait, ok := reserve(t, s, r)
	require.True(t, ok)
	assertNear(t, time.Minute+margin, wait)
}

func TestCostTooHigh(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	limits := []ratelimit.Limit{perSecond, {Count: 10, Window: time.Minute, Unit: ratelimit.Messages}}

	_, ok, err := s.Reserve(ctx, request(limits, 1, 11))
	assert.ErrorIs(t, err, ratelimit.ErrCostTooHigh)
	assert.False(t, ok)

	_, ok, err = s.Reserve(ctx, request(limits, 1, 6))
	require.NoError(t, err)
	require.True(t, ok)
	// Throttled to 5 per minute, 6 messages can never go: the script says so.
	require.NoError(t, s.Throttle(ctx, "org#app", "g", 0.5, time.Minute))
	_, ok, err = s.Reserve(ctx, request(limits, 1, 6))
	assert.ErrorIs(t, err, ratelimit.ErrCostTooHigh)
	assert.False(t, ok)
}

func TestThrottle(t *testing.T) {
	ctx := context.Background()
	srv := redistest.StartServer(t)
	s1, prefix := newStore(srv.Client(t))
	// A second store on its own connection pool plays another replica.
	s2 := redisstore.New(srv.Client(t), redisstore.WithPrefix(prefix), redisstore.WithTimeout(testTimeout))
	r := request([]ratelimit.Limit{{Count: 10, Window: time.Second}}, 1)

	const ttl = 400 * time.Millisecond
	require.NoError(t, s1.Throttle(ctx, "org#app", "g", 0.5, ttl))
	start := time.Now()
	assert.Equal(t, 5, admitNow(t, s2, r))

	// Once the factor expires the full 10 apply to the same window.
	time.Sleep(ttl + 50*time.Millisecond)
	assert.Equal(t, 5, admitNow(t, s2, r))
	require.Less(t, time.Since(start), span, "the test was too slow to see one window")

	// floor(3 * 0.1) is 0: the count stays at least 1.
	r.AppKey = "other"
	r.Limits = []ratelimit.Limit{perSecond}
	require.NoError(t, s1.Throttle(ctx, "other", "g", 0.1, time.Minute))
	assert.Equal(t, 1, admitNow(t, s2, r))
}

// With no deadline of its own, the store calls Redis directly under ctx.
func TestNoStoreDeadline(t *testing.T) {
	s, _ := newStore(redistest.Start(t), redisstore.WithTimeout(0))
	r := request([]ratelimit.Limit{perSecond}, 1)
	assert.Equal(t, 3, admitNow(t, s, r))
	require.NoError(t, s.Throttle(context.Background(), "org#app", "g", 0.5, time.Second))
}

func TestThrottleRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	for _, f := range []float64{0, -0.5, 1.5, math.NaN()} {
		assert.Error(t, s.Throttle(ctx, "org#app", "g", f, time.Second), "factor %v", f)
	}
	assert.Error(t, s.Throttle(ctx, "org#app", "g", 0.5, 0))
	assert.Error(t, s.Throttle(ctx, "", "g", 0.5, time.Second))
	assert.NoError(t, s.Throttle(ctx, "org#app", "g", 1, time.Second))
}

func TestReserveRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	bad := map[string]ratelimit.StoreRequest{
		"no app key":   {Group: "g", Limits: []ratelimit.Limit{perSecond}, Units: []int64{1}},
		"no limits":    {AppKey: "a", Group: "g"},
		"units short":  {AppKey: "a", Group: "g", Limits: []ratelimit.Limit{perSecond, messages}, Units: []int64{1}},
		"zero units":   {AppKey: "a", Group: "g", Limits: []ratelimit.Limit{perSecond}, Units: []int64{0}},
		"zero count":   {AppKey: "a", Group: "g", Limits: []ratelimit.Limit{{Window: time.Second}}, Units: []int64{1}},
		"zero window":  {AppKey: "a", Group: "g", Limits: []ratelimit.Limit{{Count: 1}}, Units: []int64{1}},
		"negative sum": {AppKey: "a", Group: "g", Limits: []ratelimit.Limit{perSecond}, Units: []int64{1}, Margin: -time.Hour},
	}
	for name, r := range bad {
		_, ok, err := s.Reserve(ctx, r)
		assert.Error(t, err, name)
		assert.NotErrorIs(t, err, ratelimit.ErrCostTooHigh, name)
		assert.False(t, ok, name)
	}
}

// Keys of different App Keys, groups and scopes never collide, whatever
// bytes the names hold.
func TestNamesAreSeparate(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	lim := []ratelimit.Limit{{Count: 1, Window: time.Minute, Per: "username"}}
	names := [][3]string{
		{"a", "g", "x"}, {"a", "g", "0:x"}, {"a", "g:0", "x"}, {"a}", "g", "x"},
		{"{a", "g", "x"}, {"a%7D", "g", "x"}, {"a", "g%3A0", "x"}, {"a", "g", ""},
	}
	for _, n := range names {
		r := request(lim, 1)
		r.AppKey, r.Group, r.Scope = n[0], n[1], n[2]
		_, ok := reserve(t, s, r)
		assert.True(t, ok, "%q shares state with an earlier name", n)
	}
}

func TestKeysExpire(t *testing.T) {
	ctx := context.Background()
	client := redistest.Start(t)
	s, prefix := newStore(client)
	r := request([]ratelimit.Limit{
		{Count: 5, Window: 100 * time.Millisecond},
		{Count: 5, Window: 100 * time.Millisecond, Per: "username"},
	}, 1, 1)
	r.Scope = "alice"
	_, ok := reserve(t, s, r)
	require.True(t, ok)

	keys, err := client.Keys(ctx, prefix+"*").Result()
	require.NoError(t, err)
	assert.Len(t, keys, 4) // hash and log of two sides; no throttle set
	for _, k := range keys {
		assert.Contains(t, k, "{org#app}", "every key carries the App Key hash tag")
		ttl, err := client.PTTL(ctx, k).Result()
		require.NoError(t, err)
		assert.Positive(t, ttl, k)
		// The window plus margin, an eighth of that and 200 ms.
		assert.LessOrEqual(t, ttl, 120*time.Millisecond+15*time.Millisecond+201*time.Millisecond, k)
	}
	assert.Eventually(t, func() bool {
		n, err := client.Exists(ctx, keys...).Result()
		return err == nil && n == 0
	}, 2*time.Second, 20*time.Millisecond, "idle keys must vanish")
}

// An active log drops entries that left the window, so it stays the size
// of its quota however long the traffic lasts.
func TestLogStaysBounded(t *testing.T) {
	ctx := context.Background()
	client := redistest.Start(t)
	s, prefix := newStore(client)
	const count = 5
	r := request([]ratelimit.Limit{{Count: count, Window: 30 * time.Millisecond}}, 1)
	r.Margin = 0
	admitted := 0
	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); {
		admitted += admitNow(t, s, r)
		time.Sleep(2 * time.Millisecond)
	}
	assert.Greater(t, admitted, 5*count, "windows passed and admitted again")
	keys, err := client.Keys(ctx, prefix+"*:z:*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	n, err := client.ZCard(ctx, keys[0]).Result()
	require.NoError(t, err)
	assert.LessOrEqual(t, n, int64(2*count))
}

func TestCluster(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.StartCluster(t))
	limits := []ratelimit.Limit{
		{Count: 5, Window: time.Second},
		{Count: 20, Window: time.Minute, Unit: ratelimit.Messages},
		{Count: 2, Window: time.Minute, Per: "username"},
	}
	r := request(limits, 1, 3, 1)
	r.Scope = "alice"
	require.NoError(t, s.Throttle(ctx, "org#app", "g", 0.5, time.Minute))
	// A CROSSSLOT error would fail here: every key shares the {App Key} slot.
	assert.Equal(t, 1, admitNow(t, s, r)) // alice's 2 per minute halved
	r.Scope = "bob"
	assert.Equal(t, 1, admitNow(t, s, r)) // 5 calls/s halved to 2
}

func TestRedisDown(t *testing.T) {
	r := request([]ratelimit.Limit{perSecond}, 1)
	// A deadline this far under the client's own read timeout (seconds)
	// shows that the store, not the client, bounds the call.
	const deadline = 50 * time.Millisecond

	t.Run("killed", func(t *testing.T) {
		srv := redistest.StartServer(t)
		if !srv.Owned() {
			t.Skip("REDIS_URL: the test cannot stop that server")
		}
		s := redisstore.New(srv.Client(t), redisstore.WithPrefix(redistest.Prefix()))
		reserve(t, s, r)
		require.NoError(t, srv.Kill())

		start := time.Now()
		_, ok, err := s.Reserve(context.Background(), r)
		assert.Error(t, err)
		assert.False(t, ok)
		assert.Error(t, s.Throttle(context.Background(), "org#app", "g", 0.5, time.Second))
		assert.Less(t, time.Since(start), time.Second)
	})

	t.Run("paused", func(t *testing.T) {
		srv := redistest.StartServer(t)
		if !srv.Owned() {
			t.Skip("REDIS_URL: the test cannot stop that server")
		}
		s := redisstore.New(srv.Client(t), redisstore.WithPrefix(redistest.Prefix()), redisstore.WithTimeout(deadline))
		reserve(t, s, r) // connected, script loaded
		require.NoError(t, srv.Pause())

		for range 3 {
			start := time.Now()
			_, ok, err := s.Reserve(context.Background(), r)
			elapsed := time.Since(start)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.False(t, ok)
			assert.GreaterOrEqual(t, elapsed, deadline)
			assert.Less(t, elapsed, time.Second)
		}
		// A caller's own deadline shorter than the store's also holds.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, _, err := s.Reserve(ctx, r)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Less(t, time.Since(start), deadline)

		require.NoError(t, srv.Resume())
		assert.Eventually(t, func() bool {
			_, _, err := s.Reserve(context.Background(), r)
			return err == nil
		}, 10*time.Second, 50*time.Millisecond, "the store recovers with Redis")
	})

	t.Run("canceled", func(t *testing.T) {
		s, _ := newStore(redistest.Start(t))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, ok, err := s.Reserve(ctx, r)
		assert.True(t, errors.Is(err, context.Canceled), "%v", err)
		assert.False(t, ok)
	})
}

// A hash or log lost to eviction must not let a window overfill: the next
// call waits out everything the lost key could have held, then the limit
// counts afresh. The log is pruned once first, so the state is not trivial.
func TestEvictedKeyStaysSafe(t *testing.T) {
	ctx := context.Background()
	lim := ratelimit.Limit{Count: 3, Window: 200 * time.Millisecond}
	span := lim.Window + margin
	near := func(t *testing.T, want, got time.Duration) {
		t.Helper()
		assert.LessOrEqual(t, got, want)
		assert.Greater(t, got, want-80*time.Millisecond)
	}
	for _, kind := range []string{"h", "z"} {
		t.Run(kind, func(t *testing.T) {
			client := redistest.Start(t)
			s, prefix := newStore(client)
			r := request([]ratelimit.Limit{lim}, 1)
			require.Equal(t, 3, admitNow(t, s, r))
			time.Sleep(span + span/8 + 30*time.Millisecond)
			require.Equal(t, 3, admitNow(t, s, r)) // drops the first three

			keys, err := client.Keys(ctx, prefix+"*:"+kind+":*").Result()
			require.NoError(t, err)
			require.Len(t, keys, 1)
			require.NoError(t, client.Del(ctx, keys[0]).Err())

			wait, ok := reserve(t, s, r)
			assert.False(t, ok)
			near(t, span, wait)
			r.MaxWait = -1
			for range 3 {
				wait, ok = reserve(t, s, r)
				require.True(t, ok)
				near(t, span, wait)
			}
			wait, ok = reserve(t, s, r)
			require.True(t, ok)
			near(t, 2*span, wait)
		})
	}
}

// On a link where a round trip fits the store's deadline but a cold start
// (handshake, script load) does not, a cold store fails its first calls;
// once Ping has warmed it, the first call goes through. Ping fails when
// Redis answers too slowly for the deadline, or not at all.
func TestPing(t *testing.T) {
	ctx := context.Background()
	srv := redistest.StartServer(t)
	p := srv.Proxy(t)
	p.SetLatency(20 * time.Millisecond) // a 40 ms round trip
	r := request([]ratelimit.Limit{{Count: 10, Window: time.Second}}, 1)
	store := func() *redisstore.Store {
		return redisstore.New(p.Client(t), redisstore.WithPrefix(redistest.Prefix()), redisstore.WithTimeout(50*time.Millisecond))
	}

	_, _, err := store().Reserve(ctx, r)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a cold start within the deadline")

	warm := store()
	require.NoError(t, warm.Ping(ctx))
	_, ok, err := warm.Reserve(ctx, r)
	require.NoError(t, err)
	assert.True(t, ok)

	p.SetLatency(30 * time.Millisecond)
	assert.ErrorIs(t, warm.Ping(ctx), context.DeadlineExceeded, "a 60 ms round trip misses the deadline")

	p.SetLatency(0)
	p.Hold()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	assert.Error(t, store().Ping(short))
	assert.Less(t, time.Since(start), time.Second)
}
