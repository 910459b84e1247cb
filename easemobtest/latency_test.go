package easemobtest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

func TestLatencyEachWay(t *testing.T) {
	const toServer, toClient = 60 * time.Millisecond, 40 * time.Millisecond
	srv := easemobtest.NewServer(t, easemobtest.WithLatency(toServer, toClient))
	c := newClient(t, srv)

	sent := time.Now()
	status, body := c.call("GET", "/users", nil)
	elapsed := time.Since(sent)
	require.Equal(t, http.StatusOK, status)
	arrival, err := body["timestamp"].(json.Number).Int64()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, arrival, sent.Add(toServer).UnixMilli(), "timestamp is the arrival, after the way there")
	assert.GreaterOrEqual(t, elapsed, toServer+toClient)

	assert.Panics(t, func() { easemobtest.New(easemobtest.WithLatency(-time.Second, 0)) })
}

// steppingClock advances by step at every reading, so each call to the
// emulator's clock is a known instant.
type steppingClock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.t
	c.t = c.t.Add(c.step)
	return now
}

// timestamp is the server's clock at arrival, duration its time spent on
// the call, in envelopes and error bodies alike.
func TestTimestampAndDuration(t *testing.T) {
	clock := &steppingClock{t: time.Unix(1_700_000_000, 0), step: 7 * time.Millisecond}
	srv := easemobtest.NewServer(t, easemobtest.WithClock(clock.Now))
	c := newClient(t, srv)

	arrival := clock.Now().Add(7 * time.Millisecond) // the next reading
	status, body := c.call("GET", "/users", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, json.Number("14"), body["duration"], "read at arrival, at the quota check and at the answer: 7 ms apart")
	assert.Equal(t, json.Number(strconv.FormatInt(arrival.UnixMilli(), 10)), body["timestamp"])

	status, body = c.call("GET", "/users/nobody", nil)
	require.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, json.Number("14"), body["duration"])
}

// Two requests cross on the way: the one sent later on a faster path gets
// there first and takes the one call its quota allows. Each answer's
// timestamp is the arrival the OnRequest hook was given.
func TestLatencyCrossingRequestsCountInArrivalOrder(t *testing.T) {
	var n atomic.Int32
	legs := func() (time.Duration, time.Duration) {
		switch n.Add(1) {
		case 2: // the first GET
			return 80 * time.Millisecond, 0
		case 3: // the second
			return 5 * time.Millisecond, 0
		}
		return 0, 0 // the token
	}
	srv := easemobtest.NewServer(t, easemobtest.WithLatencyFunc(legs),
		quota("users.get", ratelimit.Limit{Count: 1, Window: time.Minute, Unit: ratelimit.Calls}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	var mu sync.Mutex
	arrived := map[int64]bool{}
	srv.OnRequest(func(r *http.Request) {
		at, ok := easemobtest.ArrivedAt(r)
		require.True(t, ok)
		assert.False(t, at.After(time.Now()), "the hook runs once the request has arrived")
		mu.Lock()
		arrived[at.UnixMilli()] = true
		mu.Unlock()
	})
	c := newClient(t, srv)

	type answer struct {
		status int
		stamp  int64
	}
	answers := make(chan answer, 2)
	get := func() {
		status, body := c.call("GET", "/users/alice", nil)
		stamp, err := body["timestamp"].(json.Number).Int64()
		assert.NoError(t, err)
		answers <- answer{status, stamp}
	}
	go get()
	time.Sleep(20 * time.Millisecond)
	get()
	second := <-answers
	first := <-answers
	assert.Equal(t, http.StatusOK, second.status, "sent second, arrived first")
	assert.Equal(t, http.StatusTooManyRequests, first.status)
	assert.Less(t, second.stamp, first.stamp)
	mu.Lock()
	defer mu.Unlock()
	assert.True(t, arrived[first.stamp] && arrived[second.stamp], "stamps %d and %d, arrivals %v", first.stamp, second.stamp, arrived)
}
