package users_test

import (
	"context"
	"slices"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

// userDrops are the entity fields User does not keep.
var userDrops = map[string]string{"entities.type": `always "user"`}

// The documented examples name their users "user1", "user2" and "XXXX":
// the calls use those names where a method looks its answer up by input.
func TestWire(t *testing.T) {
	wiretest.Run(t, slices.Concat(accountWire, tokenWire, pushWire, contactWire, blockWire, attributeWire, muteWire, favoriteWire))
}

// accountWire are the account calls.
var accountWire = []wiretest.Case{
	{Name: "Register", Op: catalog.UsersRegister, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Register(ctx, users.NewUser{Username: "user1", Password: "123", Nickname: "testuser"})
		}},
	{Name: "RegisterBatch", Op: catalog.UsersRegisterBatch, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.RegisterBatch(ctx, []users.NewUser{{Username: "user1", Password: "123"}, {Username: "user2", Password: "456"}})
		}},
	{Name: "Get", Op: catalog.UsersGet, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Get(ctx, "XXXX") }},
	{Name: "List", Op: catalog.UsersList, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.List(ctx, users.ListParams{Limit: 2})
		}},
	{Name: "ListFromCursor", Op: catalog.UsersList, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.List(ctx, users.ListParams{Limit: 2, Cursor: "LTgzXXXX2tB"})
		}},
	{Name: "Delete", Op: catalog.UsersDelete, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Delete(ctx, "XXXX") }},
	{Name: "DeleteBatch", Op: catalog.UsersDeleteBatch, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.DeleteBatch(ctx, users.ListParams{Limit: 2})
		}},
	{Name: "ChangePassword", Op: catalog.UsersChangePassword,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return nil, c.Users.ChangePassword(ctx, "user1", "123")
		}},
	{Name: "Online", Op: catalog.UsersGetStatus,
		Drops: map[string]string{"data.user1": `Online reports the state as a bool ("offline" is false)`},
		Call:  func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Online(ctx, "user1") }},
	{Name: "OnlineBatch", Op: catalog.UsersGetStatusBatch,
		Drops: map[string]string{
			"data.user1": `OnlineBatch reports each state as a bool ("offline" is false)`,
			"data.user2": `OnlineBatch reports each state as a bool ("offline" is false)`,
		},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.OnlineBatch(ctx, []string{"user1", "user2"})
		}},
	{Name: "OfflineMessageCount", Op: catalog.UsersGetOfflineMsgCount,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.OfflineMessageCount(ctx, "user1")
		}},
	{Name: "OfflineMessageStatus", Op: catalog.UsersGetOfflineMsgStatus,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.OfflineMessageStatus(ctx, "user1", "123")
		}},
	{Name: "Deactivate", Op: catalog.UsersDeactivate, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Deactivate(ctx, "user1") }},
	{Name: "Activate", Op: catalog.UsersActivate,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return nil, c.Users.Activate(ctx, "user1") }},
	{Name: "Disconnect", Op: catalog.UsersDisconnect,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Disconnect(ctx, "user1") }},
	{Name: "DisconnectDevice", Op: catalog.UsersDisconnectDevice,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.DisconnectDevice(ctx, "user1", "android_123423453246")
		}},
	{Name: "Devices", Op: catalog.UsersListResources,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Devices(ctx, "XXXX") }},
}
