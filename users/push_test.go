package users_test

import (
	"context"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

func ptr[T any](v T) *T { return &v }

// The calls use the documented examples' names and values.
var pushWire = []wiretest.Case{
	{Name: "SetPushNickname", Op: catalog.PushSetNickname, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetPushNickname(ctx, "user1", "testuser")
		}},
	{Name: "SetPushDisplayStyle", Op: catalog.PushSetDisplayStyle, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetPushDisplayStyle(ctx, "user1", users.StyleDetail)
		}},
	{Name: "SetNoDisturbLegacy", Op: catalog.PushSetNoDisturbLegacy, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetNoDisturbLegacy(ctx, "user1", users.NoDisturb{On: true, Start: 1, End: 3})
		}},
	{Name: "SetPushSettings", Op: catalog.PushSetSettings,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetPushSettings(ctx, "XXXX", users.OneToOne, "XXXX", users.PushUpdate{
				Type: users.PushNone, IgnoreInterval: ptr("21:30-08:00"), IgnoreDuration: ptr(24 * time.Hour)})
		}},
	{Name: "PushSettings", Op: catalog.PushGetSettings,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.PushSettings(ctx, "XXXX", users.Group, "12312312321")
		}},
	{Name: "SetPushLanguage", Op: catalog.PushSetLanguage,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetPushLanguage(ctx, "XXXX", "EU")
		}},
	{Name: "PushLanguage", Op: catalog.PushGetLanguage,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.PushLanguage(ctx, "XXXX") }},
	{Name: "CreatePushTemplate", Op: catalog.PushCreateTemplate,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.CreatePushTemplate(ctx, users.PushTemplate{Name: "test7", TitlePattern: "你好,{0}", ContentPattern: "推送测试,{0}"})
		}},
	{Name: "PushTemplate", Op: catalog.PushGetTemplate,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.PushTemplate(ctx, "test7") }},
	{Name: "DeletePushTemplate", Op: catalog.PushDeleteTemplate,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.DeletePushTemplate(ctx, "test7")
		}},
	{Name: "SetPushNicknames", Op: catalog.PushSetNicknameBatch,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetPushNicknames(ctx, []users.PushNickname{{Username: "user1", Nickname: "推送昵称-1"}, {Username: "user2", Nickname: "推送昵称-2"}})
		}},
	{Name: "SetReceiverTemplate", Op: catalog.PushSetReceiverTemplate,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetReceiverTemplate(ctx, "XXX", "YWMt-a-user-token", "hxtest")
		}},
	{Name: "BindPush", Op: catalog.PushBind,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.BindPush(ctx, "user1", users.PushBinding{DeviceID: "8ce08cad-9369-XXXX-XXXX-695a0d247cda",
				DeviceToken: "BAEAAAAAB.jkuDmf8hRUPDgOel-zX9exVlcjS1akCWQIUA3cBbB_DprnHMeFR11PV1of1sVNKPmKdKhMB22YuO8-Z_Ksoqxo8Y", NotifierName: "104410638"})
		}},
	{Name: "PushBindings", Op: catalog.PushGetBindings,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.PushBindings(ctx, "user1") }},
	{Name: "PushStatistics", Op: catalog.PushGetStatistics, Drops: map[string]string{"status": `"OK" is the nil error`},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			day := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
			return c.Users.PushStatistics(ctx, day, day.AddDate(0, 0, 1), users.AllPlatforms)
		}},
}
