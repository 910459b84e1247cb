package core

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAnswerStamp(t *testing.T) {
	for body, want := range map[string]int64{
		`{"entities":[{"timestamp":1}],"timestamp":1700000000123,"duration":3}`: 1700000000123,
		`{"timestamp":"1700000000456"}`:                                         1700000000456,
		`{"timestamp": 1700000000789 }`:                                         1700000000789,
	} {
		got, ok := answerStamp([]byte(body))
		assert.True(t, ok, body)
		assert.Equal(t, want, got, body)
	}
	for _, body := range []string{`{}`, `{"timestamp":null}`, `{"timestamp":"x"}`, `not json`} {
		_, ok := answerStamp([]byte(body))
		assert.False(t, ok, body)
	}
}

// The learnt bound is never after the true stamp instant, whatever the
// legs' shares; it tightens as fast answers come; a jumped server clock
// restarts the learning instead of giving a wrong bound.
func TestServerClockBoundIsSafe(t *testing.T) {
	var k serverClock
	base := time.Unix(1_700_000_000, 0)
	offset := 3*time.Hour + 123*time.Millisecond // server ahead of us
	call := func(send time.Time, toServer, toClient time.Duration) (est, truth time.Time, ok bool) {
		truth = send.Add(toServer)
		stamp := truth.Add(offset).UnixMilli()
		est, ok = k.countedBy(stamp, send, truth.Add(toClient))
		return est, truth, ok
	}
	now := base
	for i := range 200 {
		up := time.Duration(5+i%40) * time.Millisecond
		down := time.Duration(1+(i*7)%60) * time.Millisecond
		est, truth, ok := call(now, up, down)
		if ok {
			assert.False(t, est.Before(truth), "call %d: bound %v before the stamp %v", i, est, truth)
		}
		now = now.Add(10 * time.Millisecond)
	}
	// After a 1 ms return leg has been seen, the bound is within ~2 ms of
	// the stamp for any later call.
	_, _, _ = call(now, 30*time.Millisecond, time.Millisecond)
	now = now.Add(10 * time.Millisecond)
	est, truth, ok := call(now, 40*time.Millisecond, 50*time.Millisecond)
	assert.True(t, ok)
	assert.Less(t, est.Sub(truth), 5*time.Millisecond, "1 ms stamp rounding, 1 ms return leg, the margin")
	assert.False(t, est.Before(truth))

	// The server clock jumps back a second: no bound before the truth.
	offset -= time.Second
	for range 5 {
		now = now.Add(10 * time.Millisecond)
		est, truth, ok := call(now, 20*time.Millisecond, 20*time.Millisecond)
		if ok {
			assert.False(t, est.Before(truth))
		}
	}
	// And forward by a second.
	offset += 2 * time.Second
	for range 5 {
		now = now.Add(10 * time.Millisecond)
		est, truth, ok := call(now, 20*time.Millisecond, 20*time.Millisecond)
		if ok {
			assert.False(t, est.Before(truth))
		}
	}
}
