package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// flying returns a request that will be settled, with id and flight bound.
func flying(lim ratelimit.Limit, id uint64, flight time.Duration) ratelimit.StoreRequest {
	r := request([]ratelimit.Limit{lim}, 1)
	r.ID, r.Flight = id, flight
	return r
}

// A call in flight holds its unit until it is settled; a call that needs
// it is refused, however long it accepts to wait, with the time it would
// fit were the calls in flight answered now. Once settled, it frees its
// unit one window after its end.
func TestInFlightCountsUntilSettled(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	lim := ratelimit.Limit{Count: 3, Window: time.Second}
	var flights []ratelimit.StoreRequest
	for i := range 3 {
		r := request([]ratelimit.Limit{lim}, 1)
		r.ID, r.Flight = uint64(i+1), time.Minute
		_, ok := reserve(t, s, r)
		require.True(t, ok)
		flights = append(flights, r)
	}
	r := request([]ratelimit.Limit{lim}, 1)
	r.MaxWait = -1
	now, wait, ok, err := redisstore.ReserveClock(ctx, s, r)
	require.NoError(t, err)
	assert.False(t, ok, "no booking on calls in flight")
	assert.Equal(t, time.Second+ratelimit.AnswerMargin, wait)

	// Settled as counted 5 ms ago, the first frees its unit 995 ms from now.
	require.NoError(t, redisstore.SettleAt(ctx, s, &flights[0], now.Add(-5*time.Millisecond)))
	_, wait, ok, err = redisstore.ReserveClock(ctx, s, r)
	require.NoError(t, err)
	require.True(t, ok, "booked on the settled call's end")
	assertNear(t, 995*time.Millisecond, wait)
}

// A grant its process never settles, because the process died, frees its
// unit one window after its provisional end. ReserveClock is a process
// that dies at once: it does not keep the grant in flight.
func TestProvisionalEndStands(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	lim := ratelimit.Limit{Count: 1, Window: 100 * time.Millisecond}
	const flight = 200 * time.Millisecond
	granted, _, ok, err := redisstore.ReserveClock(ctx, s, flying(lim, 1, flight))
	require.NoError(t, err)
	require.True(t, ok)

	r := request([]ratelimit.Limit{lim}, 1)
	for {
		now, wait, ok, err := redisstore.ReserveClock(ctx, s, r)
		require.NoError(t, err)
		if ok {
			free := granted.Add(flight + lim.Window)
			assert.False(t, now.Before(free), "freed before the provisional end")
			assert.Less(t, now.Sub(free), 30*time.Millisecond)
			return
		}
		// Refused on the call in flight, as if it ended now.
		require.Equal(t, lim.Window+ratelimit.AnswerMargin, wait)
		time.Sleep(5 * time.Millisecond)
	}
}

// A live process keeps its unsettled grants in flight past the flight
// bound: a call slower than the bound still holds its unit.
func TestUnsettledGrantsStayInFlight(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	lim := ratelimit.Limit{Count: 1, Window: 100 * time.Millisecond}
	call := flying(lim, 7, 100*time.Millisecond)
	_, ok := reserve(t, s, call)
	require.True(t, ok)
	assert.Equal(t, 1, redisstore.Flying(s))

	r := request([]ratelimit.Limit{lim}, 1)
	for end := time.Now().Add(600 * time.Millisecond); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		_, wait, ok, err := redisstore.ReserveClock(ctx, s, r)
		require.NoError(t, err)
		require.False(t, ok, "the grant left the log while in flight")
		require.Equal(t, lim.Window+ratelimit.AnswerMargin, wait)
	}
	// Settled, it frees its unit a window after its end.
	s.Settle(&call, time.Now())
	assert.Eventually(t, func() bool {
		_, ok, err := s.Reserve(ctx, r)
		return err == nil && ok
	}, time.Second, 10*time.Millisecond)
	assert.Zero(t, redisstore.Flying(s))
}

// Settlements of many calls go in a few round trips and each ends its own
// entry: all units come back one window after the calls' ends.
func TestSettleMany(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(redistest.Start(t))
	lim := ratelimit.Limit{Count: 200, Window: 100 * time.Millisecond}
	calls := make([]ratelimit.StoreRequest, lim.Count)
	for i := range calls {
		calls[i] = flying(lim, uint64(i+1), time.Minute)
		_, ok := reserve(t, s, calls[i])
		require.True(t, ok)
	}
	end := time.Now()
	for i := range calls {
		s.Settle(&calls[i], end)
	}
	assert.Eventually(t, func() bool { return redisstore.Flying(s) == 0 }, time.Second, 5*time.Millisecond)
	r := request([]ratelimit.Limit{lim}, 1)
	r.MaxWait = -1
	assert.Eventually(t, func() bool {
		_, wait, ok, err := redisstore.ReserveClock(ctx, s, r)
		return err == nil && ok && wait <= lim.Window
	}, time.Second, 10*time.Millisecond, "booked on the settled ends, not refused on calls in flight")
}

// A caller that gave up before its grant came back does not leave the
// grant in flight: the store settles it as never sent.
func TestAbandonedGrantIsSettled(t *testing.T) {
	ctx := context.Background()
	srv := redistest.StartServer(t)
	p := srv.Proxy(t)
	prefix := redistest.Prefix()
	client := p.Client(t)
	s := redisstore.New(client, redisstore.WithPrefix(prefix), redisstore.WithTimeout(50*time.Millisecond))
	direct := redisstore.New(srv.Client(t), redisstore.WithPrefix(prefix), redisstore.WithTimeout(testTimeout))
	require.NoError(t, client.Ping(ctx).Err()) // connected before the hold
	lim := ratelimit.Limit{Count: 1, Window: 100 * time.Millisecond}

	p.Hold()
	_, _, err := s.Reserve(ctx, flying(lim, 9, time.Minute))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	p.Heal() // the held Reserve now reaches Redis, which grants it

	r := request([]ratelimit.Limit{lim}, 1)
	r.MaxWait = -1
	assert.Eventually(t, func() bool {
		_, wait, ok, err := redisstore.ReserveClock(ctx, direct, r)
		return err == nil && ok && wait <= lim.Window+10*time.Millisecond
	}, time.Second, 20*time.Millisecond, "the abandoned grant was settled")
}
