package chatrooms_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/easemobtest"
)

// clock is the emulator's time, stepped by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newClockEnv(t *testing.T) (*env, *clock) {
	clk := &clock{t: time.Now()}
	return newEnv(t, easemobtest.WithClock(clk.now)), clk
}

func TestMuteMembers(t *testing.T) {
	e, clk := newClockEnv(t)
	id := e.room("o", "a", "b")
	e.users("out")
	start := clk.now()

	res, err := e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"a", "out", "o"}, time.Hour)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, map[string]string{"a": "done", "out": "failed: user: out doesn't exist in chatroom: " + id,
		"o": "failed: forbidden operation on group owner!"}, reasons(res))
	assert.WithinDuration(t, start.Add(time.Hour), res.Items[0].Value.At, time.Millisecond)
	_, err = e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"out"}, time.Hour)
	_ = apiError(t, err, 400, "forbidden_op", "none of them a member")

	forever, err := e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"b"}, chatrooms.Forever)
	require.NoError(t, err)
	assert.True(t, forever.Items[0].Value.Forever)

	// The mute outlives leaving and rejoining.
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "a")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.AddMember(e.ctx, id, "a")
	require.NoError(t, err)
	muted, err := e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	require.Len(t, muted, 2)
	assert.Equal(t, "a", muted[0].Username)
	assert.True(t, muted[0].Until.Active(start))
	assert.True(t, muted[1].Until.Forever)

	clk.advance(time.Hour)
	muted, err = e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []chatrooms.Mute{{Username: "b", Until: chatrooms.Expiry{Forever: true}}}, muted, "a's mute ran out")

	res2, err := e.c.Chatrooms.UnmuteMembers(e.ctx, id, []string{"b"})
	require.NoError(t, err)
	assert.Equal(t, batch.Done, res2.Items[0].Status)
	_, err = e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"a"}, time.Minute)
	require.NoError(t, err)
	_, err = e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"a"}, 0)
	require.NoError(t, err)
	muted, err = e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, muted, "a duration of 0 lifts the mute")
}

func TestMuteAll(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a")
	_, err := e.c.Chatrooms.MuteMembers(e.ctx, id, []string{"a"}, time.Hour)
	require.NoError(t, err)
	on, err := e.c.Chatrooms.MuteAll(e.ctx, id)
	require.NoError(t, err)
	assert.True(t, on)
	res, err := e.c.Chatrooms.Get(e.ctx, []string{id})
	require.NoError(t, err)
	assert.True(t, res.Items[0].Value.AllMuted)
	on, err = e.c.Chatrooms.UnmuteAll(e.ctx, id)
	require.NoError(t, err)
	assert.False(t, on)
	res, err = e.c.Chatrooms.Get(e.ctx, []string{id})
	require.NoError(t, err)
	assert.False(t, res.Items[0].Value.AllMuted)
	muted, err := e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	assert.Len(t, muted, 1, "muting all leaves the mute list alone")
	_, err = e.c.Chatrooms.MuteAll(e.ctx, "404")
	_ = apiError(t, err, 404, "resource_not_found")
}

func TestMuteMembersSplitsAt60(t *testing.T) {
	e := newEnv(t)
	id, users := e.crowd("o", "m", 130)
	res, err := e.c.Chatrooms.MuteMembers(e.ctx, id, users, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 130, res.Count(batch.Done))
	assert.Equal(t, 3, e.srv.OpStats("chatrooms.MuteMembers").Received)
	un, err := e.c.Chatrooms.UnmuteMembers(e.ctx, id, users)
	require.NoError(t, err)
	assert.Equal(t, 130, un.Count(batch.Done))
	assert.Equal(t, 3, e.srv.OpStats("chatrooms.UnmuteMembers").Received)
}
