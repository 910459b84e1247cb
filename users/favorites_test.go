package users_test

import (
	"context"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

// zeroTimes: the examples' createdAt and updatedAt are 0, which Favorite
// keeps as the zero time.Time, a value the harness does not count.
func zeroTimes(prefix string) map[string]string {
	const why = "0 in the example: the zero time.Time"
	return map[string]string{prefix + ".createdAt": why, prefix + ".updatedAt": why}
}

var favoriteWire = []wiretest.Case{
	{Name: "Favorites", Op: catalog.CollectionsList, Drops: zeroTimes("collections"),
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Favorites(ctx, "user1", users.FavoriteListParams{Limit: 10, Direction: users.Newest})
		}},
	{Name: "AddFavorite", Op: catalog.CollectionsAdd, Drops: zeroTimes("collection"),
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.AddFavorite(ctx, "user1", users.NewFavorite{Type: 0, Data: "string", Ext: "string"})
		}},
	{Name: "AddFavorites", Op: catalog.CollectionsAddBatch, Drops: zeroTimes("collections"),
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			at := time.UnixMilli(1700000000000)
			return c.Users.AddFavorites(ctx, "user1", []users.NewFavorite{
				{ID: "id1", Type: 0, Data: "string", Ext: "string", Created: at},
				{ID: "id2", Type: 1, Data: "string", Ext: "string", Created: at}})
		}},
	{Name: "UpdateFavoriteExt", Op: catalog.CollectionsUpdateExt, Drops: zeroTimes("collection"),
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.UpdateFavoriteExt(ctx, "user1", "string", "string")
		}},
	{Name: "DeleteFavorites", Op: catalog.CollectionsDelete,
		Drops: map[string]string{"result": "the batch result's statuses say it"},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.DeleteFavorites(ctx, "user1", []string{"id1", "id2"})
		}},
}
