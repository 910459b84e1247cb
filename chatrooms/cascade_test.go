package chatrooms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/chatrooms"
)

// Deleting a user takes it out of the rooms it was in and dissolves the
// rooms it owned, as the users module documents.
func TestDeletingAUserLeavesAndDissolvesItsRooms(t *testing.T) {
	e := newEnv(t)
	owned := e.room("gone", "stay")
	e.users("host")
	joined, err := e.srv.AddChatroom("host", "gone", "stay")
	require.NoError(t, err)
	e.users("host2")
	blocked, err := e.srv.AddChatroom("host2", "gone")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.MuteMembers(e.ctx, blocked, []string{"gone"}, chatrooms.Forever)
	require.NoError(t, err)
	_, err = e.c.Chatrooms.BlockMember(e.ctx, blocked, "gone")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.AddAdmin(e.ctx, joined, "gone")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.SetAttributes(e.ctx, joined, "gone", map[string]string{"kept": "1"}, chatrooms.KeepOnLeave)
	require.NoError(t, err)
	_, err = e.c.Chatrooms.AddSuperAdmin(e.ctx, "gone")
	require.NoError(t, err)

	_, err = e.c.Users.Delete(e.ctx, "gone")
	require.NoError(t, err)

	_, err = e.c.Chatrooms.Get(e.ctx, []string{owned})
	assert.ErrorIs(t, err, easemob.ErrNotFound, "its room is dissolved")
	assert.Equal(t, []string{"host", "stay"}, e.members(joined))
	admins, err := e.c.Chatrooms.ListAdmins(e.ctx, joined)
	require.NoError(t, err)
	assert.Empty(t, admins)
	attrs, err := e.c.Chatrooms.GetAttributes(e.ctx, joined, nil)
	require.NoError(t, err)
	assert.Empty(t, attrs, "a deleted user's attributes go, kept or not")
	supers, err := e.c.Chatrooms.ListSuperAdmins(e.ctx, chatrooms.PageParams{})
	require.NoError(t, err)
	assert.Empty(t, supers)
	list, err := e.c.Chatrooms.ListBlocked(e.ctx, blocked)
	require.NoError(t, err)
	assert.Empty(t, list, "off the block lists of rooms it had left")
	muted, err := e.c.Chatrooms.ListMuted(e.ctx, blocked)
	require.NoError(t, err)
	assert.Empty(t, muted, "and off their mute lists")
	rooms, err := e.c.Chatrooms.ListJoinedByUser(e.ctx, "stay", chatrooms.PageParams{})
	require.NoError(t, err)
	require.Len(t, rooms, 1)
	assert.Equal(t, joined, rooms[0].ID)
}
