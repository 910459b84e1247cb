package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

func TestUsageCountsTheLiveWindow(t *testing.T) {
	s, _ := newStore(redistest.Start(t))
	perUser := ratelimit.Limit{Count: 5, Window: time.Minute, Per: "username"}
	limits := []ratelimit.Limit{{Count: 10, Window: 300 * time.Millisecond}, messages, perUser}
	ctx := context.Background()

	u, err := s.Usage(ctx, "org#app", "g", limits, margin)
	require.NoError(t, err)
	assert.Equal(t, []int64{0, 0, 0}, u.Used, "nothing spent yet")
	assert.Equal(t, 1.0, u.Factor)

	r := request(limits, 1, 7, 1)
	r.Scope = "alice"
	for range 3 {
		reserve(t, s, r)
	}
	u, err = s.Usage(ctx, "org#app", "g", limits, margin)
	require.NoError(t, err)
	assert.Equal(t, []int64{3, 21, 0}, u.Used)

	require.NoError(t, s.Throttle(ctx, "org#app", "g", 0.5, time.Minute))
	time.Sleep(300*time.Millisecond + margin + 20*time.Millisecond)
	u, err = s.Usage(ctx, "org#app", "g", limits, margin)
	require.NoError(t, err)
	assert.Equal(t, int64(0), u.Used[0], "the short window has passed")
	assert.Equal(t, int64(21), u.Used[1], "the messages window has not")
	assert.Equal(t, 0.5, u.Factor)
}
