package users_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/users"
)

// Deleting a user takes everything that hangs off it, and the relations
// of others that name it: a new user of the same name starts clean.
func TestDeletingAUserDropsWhatHangsOffIt(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	register(t, c, "alice", "bob", "carol")
	_, err := c.Users.AddContact(ctx, "alice", "bob")
	require.NoError(t, err)
	_, err = c.Users.Block(ctx, "alice", []string{"carol"})
	require.NoError(t, err)
	_, err = c.Users.Block(ctx, "bob", []string{"alice"})
	require.NoError(t, err)
	_, err = c.Users.SetAttributes(ctx, "alice", users.Attributes{"sign": "hi"})
	require.NoError(t, err)
	require.NoError(t, c.Users.SetMute(ctx, "alice", users.MuteUpdate{Chat: users.MuteFor(time.Hour)}))
	_, err = c.Users.AddFavorite(ctx, "alice", users.NewFavorite{Data: "keep"})
	require.NoError(t, err)
	_, err = c.Users.SetPushLanguage(ctx, "alice", "EU")
	require.NoError(t, err)
	_, err = c.Users.BindPush(ctx, "alice", users.PushBinding{DeviceID: "d", DeviceToken: "t", NotifierName: "n"})
	require.NoError(t, err)

	_, err = c.Users.Delete(ctx, "alice")
	require.NoError(t, err)

	friends, err := c.Users.Contacts(ctx, "bob")
	require.NoError(t, err)
	assert.Empty(t, friends)
	blocked, err := c.Users.Blocked(ctx, "bob", users.BlockListParams{})
	require.NoError(t, err)
	assert.Empty(t, blocked.Usernames)
	size, err := c.Users.AttributesCapacity(ctx)
	require.NoError(t, err)
	assert.Zero(t, size)
	mutes, err := c.Users.Mutes(ctx, users.MuteListParams{})
	require.NoError(t, err)
	assert.Empty(t, mutes.Rows)

	register(t, c, "alice")
	friends, err = c.Users.Contacts(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, friends)
	blocked, err = c.Users.Blocked(ctx, "alice", users.BlockListParams{})
	require.NoError(t, err)
	assert.Empty(t, blocked.Usernames)
	attrs, err := c.Users.Attributes(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, attrs)
	m, err := c.Users.Mute(ctx, "alice")
	require.NoError(t, err)
	assert.Zero(t, m.Chat)
	favs, err := c.Users.Favorites(ctx, "alice", users.FavoriteListParams{})
	require.NoError(t, err)
	assert.Empty(t, favs)
	lang, err := c.Users.PushLanguage(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, lang)
	bindings, err := c.Users.PushBindings(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, bindings)
	u, err := c.Users.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, u.NotifierName)
}
