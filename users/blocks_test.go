package users_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

var blockWire = []wiretest.Case{
	{Name: "Blocked", Op: catalog.BlocksList,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Blocked(ctx, "XXXX", users.BlockListParams{PageSize: 2})
		}},
	{Name: "Block", Op: catalog.BlocksAdd,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Block(ctx, "user1", []string{"user2"})
		}},
	{Name: "Unblock", Op: catalog.BlocksRemove, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Unblock(ctx, "user1", "user2")
		}},
	{Name: "CheckBlocked", Op: catalog.BlocksCheck,
		Drops: map[string]string{"entities.relation": "kept as each item's bool (blacklist is true)"},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.CheckBlocked(ctx, "user1", []string{"user2", "user3"})
		}},
}

func TestBlocklist(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names, err := srv.AddUsers(12, "b", "pw")
	require.NoError(t, err)
	register(t, c, "owner")
	_, err = c.Users.AddContact(ctx, "owner", "b0")
	require.NoError(t, err)

	res, err := c.Users.Block(ctx, "owner", names)
	require.NoError(t, err)
	assert.Equal(t, 12, res.Count(batch.Done))

	page, err := c.Users.Blocked(ctx, "owner", users.BlockListParams{})
	require.NoError(t, err)
	assert.Len(t, page.Usernames, 12, "without paging, the latest 500 at once")
	assert.Empty(t, page.Cursor)
	assert.Equal(t, "b11", page.Usernames[0], "newest first")

	walked := collect(t, c.Users.AllBlocked(ctx, "owner", users.BlockListParams{PageSize: 5}))
	assert.Equal(t, page.Usernames, walked)
	assert.Equal(t, 1+3, srv.Stats(easemob.GroupBlocksList).Received)

	friends, err := c.Users.Contacts(ctx, "owner")
	require.NoError(t, err)
	assert.Equal(t, []string{"b0"}, friends, "a blocked friend stays a friend")

	u, err := c.Users.Unblock(ctx, "owner", "b3")
	require.NoError(t, err)
	assert.Equal(t, "b3", u.Username)
	check, err := c.Users.CheckBlocked(ctx, "owner", []string{"b2", "b3", "owner"})
	require.NoError(t, err)
	assert.Equal(t, []bool{true, false, false}, check.Done())

	res, err = c.Users.Block(ctx, "owner", []string{"b3", "ghost"})
	assert.ErrorIs(t, err, easemob.ErrNotFound, "every user must exist")
	assert.Equal(t, batch.Failed, res.Items[0].Status)
	check, err = c.Users.CheckBlocked(ctx, "owner", []string{"b3"})
	require.NoError(t, err)
	assert.False(t, check.Items[0].Value, "nothing was blocked")
	_, err = c.Users.Unblock(ctx, "owner", "ghost")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}

func TestBlocklistCap(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names, err := srv.AddUsers(502, "u", "pw")
	require.NoError(t, err)
	_, err = c.Users.Block(ctx, "u0", names[1:501])
	require.NoError(t, err)
	_, err = c.Users.Block(ctx, "u0", names[1:3])
	assert.NoError(t, err, "blocked already: the list does not grow")
	_, err = c.Users.Block(ctx, "u0", names[501:])
	apiCode(t, err, 403, "exceed_limit")
}
