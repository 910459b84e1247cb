package users_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
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

func TestFavorites(t *testing.T) {
	clk := newClock()
	c, srv := newClient(t, easemobtest.WithClock(clk.Now))
	ctx := context.Background()

	one, err := c.Users.AddFavorite(ctx, "alice", users.NewFavorite{Type: 1, Data: "msg 1", Ext: "e"})
	require.NoError(t, err)
	assert.NotEmpty(t, one.ID, "the server picks an ID")
	assert.Equal(t, clk.Now(), one.Created)

	start := clk.Now().Add(-time.Hour) // end_time defaults to now: a window ending then

	many := make([]users.NewFavorite, 45)
	for i := range many {
		many[i] = users.NewFavorite{ID: fmt.Sprintf("f%02d", i), Type: i % 2, Data: "d", Created: start.Add(time.Duration(i) * time.Minute)}
	}
	res, err := c.Users.AddFavorites(ctx, "alice", many)
	require.NoError(t, err)
	assert.Equal(t, 3, srv.Stats(easemob.GroupCollectionsAddBatch).Received, "20 + 20 + 5")
	assert.Equal(t, start.Add(44*time.Minute), res.Items[44].Value.Created)

	page, err := c.Users.Favorites(ctx, "alice", users.FavoriteListParams{Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{one.ID, "f44", "f43"}, ids(page), "newest first")
	page, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{Direction: users.Oldest, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"f00", "f01"}, ids(page))
	page, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{Begin: start.Add(10 * time.Minute), End: start.Add(12 * time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, []string{"f12", "f11", "f10"}, ids(page), "the window holds both ends")
	page, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{From: "f05", Type: ptr(1)})
	require.NoError(t, err)
	assert.Equal(t, []string{"f05", "f03", "f01"}, ids(page), "from a favorite on, of one type")

	walked := ids(collect(t, c.Users.AllFavorites(ctx, "alice", users.FavoriteListParams{Limit: 10})))
	assert.Len(t, walked, 46, "each favorite once")
	assert.Equal(t, one.ID, walked[0])
	assert.Equal(t, "f00", walked[45])

	upd, err := c.Users.UpdateFavoriteExt(ctx, "alice", "f07", "note")
	require.NoError(t, err)
	assert.Equal(t, "note", upd.Ext)
	_, err = c.Users.UpdateFavoriteExt(ctx, "alice", "nope", "x")
	assert.Equal(t, "user collection not found", apiCode(t, err, 400, "illegal_argument"))

	del := make([]string, 25)
	for i := range del {
		del[i] = fmt.Sprintf("f%02d", i)
	}
	_, err = c.Users.DeleteFavorites(ctx, "alice", del)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Stats(easemob.GroupCollectionsDelete).Received, "20 + 5")
	page, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{Limit: 200})
	require.NoError(t, err)
	assert.Len(t, page, 21)

	out, err := c.Users.DeleteFavorites(ctx, "alice", []string{"f30", "nope"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, batch.Failed, out.Items[0].Status, "one unknown ID fails its call")
	_, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{From: "f30", Limit: 1})
	assert.NoError(t, err, "f30 is still there")
	_, err = c.Users.Favorites(ctx, "alice", users.FavoriteListParams{From: "gone"})
	apiCode(t, err, 400, "illegal_argument")
}

func ids(fs []users.Favorite) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func TestFavoriteInputIsCheckedFirst(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	now := time.Now()
	for name, err := range map[string]error{
		"no data": func() error { _, err := c.Users.AddFavorite(ctx, "a", users.NewFavorite{}); return err }(),
		"long ext": func() error {
			_, err := c.Users.UpdateFavoriteExt(ctx, "a", "f", strings.Repeat("x", 1025))
			return err
		}(),
		"same id": func() error {
			_, err := c.Users.AddFavorites(ctx, "a", []users.NewFavorite{{ID: "x", Data: "d"}, {ID: "x", Data: "e"}})
			return err
		}(),
		"empty id": func() error { _, err := c.Users.DeleteFavorites(ctx, "a", []string{""}); return err }(),
		"limit":    func() error { _, err := c.Users.Favorites(ctx, "a", users.FavoriteListParams{Limit: 201}); return err }(),
		"window": func() error {
			_, err := c.Users.Favorites(ctx, "a", users.FavoriteListParams{Begin: now, End: now.Add(-1)})
			return err
		}(),
		"direction": func() error {
			_, err := c.Users.Favorites(ctx, "a", users.FavoriteListParams{Direction: "up"})
			return err
		}(),
	} {
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests())
}
