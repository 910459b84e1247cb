package users_test

import (
	"context"

	"github.com/emquota/easemob"
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
