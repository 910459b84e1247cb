package chatrooms_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/chatrooms"
)

func TestUserTags(t *testing.T) {
	e, clk := newClockEnv(t)
	id := e.room("o", "a", "b")
	e.users("out")
	ok, err := e.c.Chatrooms.SetUserTags(e.ctx, id, "a", []string{"vip", "red"})
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = e.c.Chatrooms.SetUserTags(e.ctx, id, "b", []string{"vip"})
	require.NoError(t, err)
	_, err = e.c.Chatrooms.SetUserTags(e.ctx, id, "out", []string{"vip"})
	assert.Equal(t, "users [out] are not members of this group!", apiError(t, err, 400, "forbidden_op").Description)

	tags, err := e.c.Chatrooms.GetUserTags(e.ctx, id, "a")
	require.NoError(t, err)
	assert.Equal(t, map[string]chatrooms.Expiry{"vip": {}, "red": {}}, tags, "not muted")

	_, err = e.c.Chatrooms.MuteByTag(e.ctx, id, "green", time.Minute)
	assert.Equal(t, "group tag not found", apiError(t, err, 404, "resource_not_found").Description)
	ok, err = e.c.Chatrooms.MuteByTag(e.ctx, id, "vip", 90*time.Second)
	require.NoError(t, err)
	assert.True(t, ok)
	muted, err := e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	require.Len(t, muted, 2, "the tag's carriers join the mute list")
	tags, err = e.c.Chatrooms.GetUserTags(e.ctx, id, "b")
	require.NoError(t, err)
	assert.WithinDuration(t, clk.now().Add(90*time.Second), tags["vip"].At, time.Millisecond, "seconds, not milliseconds")

	_, err = e.c.Chatrooms.MuteByTag(e.ctx, id, "vip", 0)
	require.NoError(t, err)
	muted, err = e.c.Chatrooms.ListMuted(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, muted, "0 lifts the tag's mute")

	// Leaving loses the tags.
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "a")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.AddMember(e.ctx, id, "a")
	require.NoError(t, err)
	tags, err = e.c.Chatrooms.GetUserTags(e.ctx, id, "a")
	require.NoError(t, err)
	assert.Empty(t, tags)

	_, err = e.c.Chatrooms.SetUserTags(e.ctx, id, "b", nil)
	require.NoError(t, err)
	tags, err = e.c.Chatrooms.GetUserTags(e.ctx, id, "b")
	require.NoError(t, err)
	assert.Empty(t, tags, "no tags clears them")
}

func TestUserTagsNotEnabled(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a")
	e.srv.SetChatroomTagMute(false)
	_, err := e.c.Chatrooms.SetUserTags(e.ctx, id, "a", []string{"x"})
	assert.Equal(t, "Group tag mute is disabled", apiError(t, err, 403, "forbidden_op").Description)
	_, err = e.c.Chatrooms.GetUserTags(e.ctx, id, "a")
	_ = apiError(t, err, 403, "forbidden_op")
	_, err = e.c.Chatrooms.MuteByTag(e.ctx, id, "x", time.Second)
	_ = apiError(t, err, 403, "forbidden_op")
}
