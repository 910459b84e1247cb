package easemobtest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
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
