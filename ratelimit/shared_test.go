package ratelimit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
)

// fakeStore grants every call after wait, or fails with err, and records
// what the registry sends it.
type fakeStore struct {
	mu      sync.Mutex
	wait    time.Duration
	err     error
	reqs    []ratelimit.StoreRequest
	settled map[uint64]time.Time
}

func (f *fakeStore) Reserve(ctx context.Context, r ratelimit.StoreRequest) (time.Duration, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, r)
	return f.wait, f.err == nil, f.err
}

func (f *fakeStore) Settle(r *ratelimit.StoreRequest, end time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.settled == nil {
		f.settled = map[uint64]time.Time{}
	}
	if _, twice := f.settled[r.ID]; twice {
		panic("settled twice")
	}
	f.settled[r.ID] = end
}

func (f *fakeStore) Ping(context.Context) error { return nil }

func (f *fakeStore) Throttle(context.Context, string, string, float64, time.Duration) error {
	return nil
}

func (f *fakeStore) last() ratelimit.StoreRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[len(f.reqs)-1]
}

func (f *fakeStore) end(id uint64) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.settled[id]
	return t, ok
}

var storeLimits = []ratelimit.Limit{{Count: 100, Window: time.Second}}

// storeLimiter returns the limiter of group "g" on a registry with st.
func storeLimiter(t *testing.T, st ratelimit.Store, p ratelimit.FailurePolicy) (*ratelimit.Limiter, *ratelimit.ManualClock, *ratelimit.Registry) {
	clk := newClock()
	reg := ratelimit.NewRegistry([]ratelimit.Quota{{Group: "g", Limits: storeLimits}}, ratelimit.WithClock(clk), ratelimit.WithStore(st, p))
	return reg.App("app").Limiter("g"), clk, reg
}

// A store grant of Acquire is in flight until its answer, which settles it
// where the registry would end its own entry: the answer, or the counted
// instant, plus AnswerMargin; a call without an answer at now plus the
// margin. Wait's grants end at grant plus margin in the store itself.
func TestStoreGrantsSettleOnAnswer(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	l, clk := newLimiter(t, storeLimits, ratelimit.WithStore(st, ratelimit.FailurePolicy{Share: 0.5}))

	a, err := l.Acquire(ctx, ratelimit.Cost{})
	require.NoError(t, err)
	ra := st.last()
	assert.NotZero(t, ra.ID)
	assert.Equal(t, ratelimit.DefaultFlight, ra.Flight)
	b, err := l.Acquire(ctx, ratelimit.Cost{})
	require.NoError(t, err)
	rb := st.last()
	assert.NotEqual(t, ra.ID, rb.ID)

	clk.Advance(30 * time.Millisecond)
	a.CountedBefore(10 * time.Millisecond)
	a.Answered() // reported once: no second settlement
	end, ok := st.end(ra.ID)
	require.True(t, ok)
	assert.Equal(t, clk.Now().Add(-10*time.Millisecond+ratelimit.AnswerMargin), end)
	b.Unanswered()
	end, ok = st.end(rb.ID)
	require.True(t, ok)
	assert.Equal(t, clk.Now().Add(ratelimit.DefaultMargin), end)

	require.NoError(t, l.Wait(ctx, ratelimit.Cost{}))
	assert.Zero(t, st.last().ID)
	assert.Zero(t, st.last().Flight)
}

// A store grant whose caller gives up while it waits for its slot is not
// sent: it is settled at once, not left in flight.
func TestStoreGrantNotSentIsSettled(t *testing.T) {
	st := &fakeStore{wait: 200 * time.Millisecond}
	l, clk := newLimiter(t, storeLimits, ratelimit.WithStore(st, ratelimit.FailurePolicy{Share: 0.5}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := l.Acquire(ctx, ratelimit.Cost{})
		done <- err
	}()
	for clk.Waiters() == 0 {
		time.Sleep(time.Millisecond)
	}
	clk.Advance(50 * time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	end, ok := st.end(st.last().ID)
	require.True(t, ok, "settled")
	assert.Equal(t, clk.Now(), end)
}

// The fallback counts this process's store grants still in flight, however
// long ago they were granted: a replica that loses the store does not
// start from an empty window.
func TestFallbackCountsGrantsInFlight(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	l, clk := newLimiter(t, storeLimits, ratelimit.WithStore(st, ratelimit.FailurePolicy{Share: 0.5, Threshold: 1}))
	var open []ratelimit.Grant
	for range 50 {
		g, err := l.Acquire(ctx, ratelimit.Cost{})
		require.NoError(t, err)
		open = append(open, g)
	}
	clk.Advance(2 * time.Second) // a window and a margin past the grants
	st.mu.Lock()
	st.err = errors.New("down")
	st.mu.Unlock()
	_, err := l.TryAcquire(ratelimit.Cost{})
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited, "the local half is spent by the calls in flight")
	for i := range open {
		open[i].Answered()
	}
}

// healthStore is a store whose round trips fail while down, and whose
// Ping blocks until released.
type healthStore struct {
	fakeStore
	release  chan struct{}
	down     atomic.Bool
	reserves atomic.Int64
	pings    atomic.Int64
}

func newHealthStore() *healthStore { return &healthStore{release: make(chan struct{})} }

func (h *healthStore) Reserve(ctx context.Context, r ratelimit.StoreRequest) (time.Duration, bool, error) {
	h.reserves.Add(1)
	if h.down.Load() {
		return 0, false, errors.New("down")
	}
	return h.fakeStore.Reserve(ctx, r)
}

func (h *healthStore) Ping(ctx context.Context) error {
	h.pings.Add(1)
	select {
	case <-h.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	if h.down.Load() {
		return errors.New("down")
	}
	return nil
}

// Calls made while the store warms up wait for it, then go to the store:
// none escapes to the fallback because the connection was not open yet.
func TestCallsWaitForTheWarmup(t *testing.T) {
	st := newHealthStore()
	l, _, _ := storeLimiter(t, st, ratelimit.FailurePolicy{Share: 0.5})
	done := make(chan error, 1)
	go func() { done <- l.Wait(context.Background(), ratelimit.Cost{}) }()
	select {
	case err := <-done:
		t.Fatalf("a call went before the store was warm: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(st.release)
	require.NoError(t, <-done)
	assert.Equal(t, int64(1), st.reserves.Load())
	assert.Equal(t, int64(1), st.pings.Load())
}

// A store that fails Threshold calls in a row is down: calls take the
// fallback at once, without asking it, while a probe per Retry, started
// by the calls, asks it in the background; the first probe answered
// brings it back.
func TestDownStoreIsProbedAndComesBack(t *testing.T) {
	st := newHealthStore()
	close(st.release)
	l, clk, reg := storeLimiter(t, st, ratelimit.FailurePolicy{Share: 0.5, Threshold: 2, Retry: time.Second})
	require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}))
	st.down.Store(true)
	require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}), "fail open")
	assert.Equal(t, int64(3), st.reserves.Load(), "one answer, then two failures")
	assert.True(t, reg.StoreDown())

	for range 5 {
		require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}))
	}
	assert.Equal(t, int64(3), st.reserves.Load(), "a down store is not asked")
	assert.Equal(t, int64(1), st.pings.Load(), "no probe before Retry")

	clk.Advance(time.Second)
	require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}))
	require.Eventually(t, func() bool { return reg.StoreFailures() == 3 }, guard, time.Millisecond, "a probe")
	assert.True(t, reg.StoreDown(), "the probe failed")
	assert.Equal(t, int64(2), st.pings.Load())

	st.down.Store(false)
	require.Eventually(t, func() bool {
		clk.Advance(time.Second) // the next probe is due, once the last one is over
		require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}))
		return !reg.StoreDown()
	}, guard, time.Millisecond)
	before := st.reserves.Load()
	require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{}))
	assert.Equal(t, before+1, st.reserves.Load(), "back on the store")
	assert.Equal(t, int64(3), reg.StoreFailures(), "two calls and a probe")
}

// A store that is not ready within Warmup is down from the start.
func TestWarmupTimesOut(t *testing.T) {
	st := newHealthStore()
	l, _, reg := storeLimiter(t, st, ratelimit.FailurePolicy{Warmup: 10 * time.Millisecond})
	err := l.Wait(context.Background(), ratelimit.Cost{})
	assert.ErrorIs(t, err, ratelimit.ErrStoreUnavailable, "fail closed")
	assert.Zero(t, st.reserves.Load())
	assert.True(t, reg.StoreDown())
}

// A fallback call still queued when the store comes back leaves for the
// store: granted locally then, it would be a call the other replicas
// never see.
func TestQueuedFallbackCallLeavesForTheStore(t *testing.T) {
	st := newHealthStore()
	close(st.release)
	// A probe is due well before the queued call's slot (paced, 20 ms
	// apart at the local 50/s).
	l, clk, reg := storeLimiter(t, st, ratelimit.FailurePolicy{Share: 0.5, Threshold: 1, Retry: time.Millisecond})
	require.NoError(t, l.Wait(context.Background(), ratelimit.Cost{})) // warm, on the store
	st.down.Store(true)
	for l.Allow(ratelimit.Cost{}) { // the first fails over; then the local burst
	}
	require.True(t, reg.StoreDown())
	queued := waitAsync(context.Background(), l, ratelimit.Cost{})
	waitParked(t, clk, l, 1)

	st.down.Store(false)
	clk.Advance(time.Millisecond)
	l.Allow(ratelimit.Cost{}) // a call starts the probe
	require.Eventually(t, func() bool { return !reg.StoreDown() }, guard, time.Millisecond)
	before := st.reserves.Load()
	for {
		select {
		case err := <-queued:
			require.NoError(t, err)
			assert.Equal(t, before+1, st.reserves.Load(), "the queued call went to the store")
			return
		case <-time.After(time.Millisecond):
			clk.Advance(time.Millisecond)
		}
	}
}
