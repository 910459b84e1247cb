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
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

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
			return c.Users.SetPushSettings(ctx, "XXXX", users.UserChat, "XXXX", users.PushUpdate{
				Type: users.PushNone, IgnoreInterval: ptr("21:30-08:00"), IgnoreDuration: ptr(24 * time.Hour)})
		}},
	{Name: "PushSettings", Op: catalog.PushGetSettings,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.PushSettings(ctx, "XXXX", users.GroupChat, "12312312321")
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

// The PUT /users/{username} settings and the push binding show in the
// user entity, as the docs' examples do.
func TestPushSettingsShowInTheUser(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	register(t, c, "alice")

	u, err := c.Users.SetPushNickname(ctx, "alice", "爱丽丝")
	require.NoError(t, err)
	assert.Equal(t, "爱丽丝", u.Nickname)
	u, err = c.Users.SetPushDisplayStyle(ctx, "alice", users.StyleDetail)
	require.NoError(t, err)
	require.NotNil(t, u.NotificationDisplayStyle)
	assert.Equal(t, 1, *u.NotificationDisplayStyle)
	assert.Equal(t, "爱丽丝", u.Nickname, "one setting leaves the others")

	_, err = c.Users.SetNoDisturbLegacy(ctx, "alice", users.NoDisturb{On: true, Start: 22, End: 7})
	require.NoError(t, err)
	got, err := c.Users.Get(ctx, "alice")
	require.NoError(t, err)
	require.NotNil(t, got.NotificationNoDisturbing)
	assert.True(t, *got.NotificationNoDisturbing)
	assert.Equal(t, 22, *got.NotificationNoDisturbingStart)
	assert.Equal(t, 7, *got.NotificationNoDisturbingEnd)
	assert.Equal(t, 1, *got.NotificationDisplayStyle)

	u, err = c.Users.SetNoDisturbLegacy(ctx, "alice", users.NoDisturb{})
	require.NoError(t, err)
	assert.False(t, *u.NotificationNoDisturbing)
	assert.Nil(t, u.NotificationNoDisturbingStart, "off drops the window")

	b := users.PushBinding{DeviceID: "dev1", DeviceToken: "tok1", NotifierName: "apns-prod"}
	bound, err := c.Users.BindPush(ctx, "alice", b)
	require.NoError(t, err)
	assert.Equal(t, []users.PushBinding{b}, bound)
	got, err = c.Users.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "apns-prod", got.NotifierName)
	assert.Equal(t, "tok1", got.DeviceToken)

	b2 := users.PushBinding{DeviceID: "dev2", DeviceToken: "tok2", NotifierName: "fcm"}
	_, err = c.Users.BindPush(ctx, "alice", b2)
	require.NoError(t, err)
	all, err := c.Users.PushBindings(ctx, "alice")
	require.NoError(t, err)
	assert.ElementsMatch(t, []users.PushBinding{b, b2}, all)

	bound, err = c.Users.BindPush(ctx, "alice", users.PushBinding{DeviceID: "dev2", NotifierName: "fcm"})
	require.NoError(t, err)
	assert.Empty(t, bound, "an empty device token unbinds")
	bound, err = c.Users.BindPush(ctx, "alice", users.PushBinding{DeviceID: "dev1"})
	require.NoError(t, err)
	assert.Empty(t, bound, "an empty certificate unbinds from all")
	all, err = c.Users.PushBindings(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, all)
	got, err = c.Users.Get(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, got.NotifierName)

	_, err = c.Users.SetPushNickname(ctx, "ghost", "x")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = c.Users.PushBindings(ctx, "ghost")
	apiCode(t, err, 400, "RequiredPropertyNotFoundException")
}

func TestPushSettingsPerConversation(t *testing.T) {
	clk := newClock()
	c, srv := newClient(t, easemobtest.WithClock(clk.Now))
	ctx := context.Background()
	register(t, c, "alice")

	app, err := c.Users.SetPushSettings(ctx, "alice", users.UserChat, "alice", users.PushUpdate{
		Type: users.PushMentions, IgnoreInterval: ptr("21:30-08:00"), IgnoreDuration: ptr(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, users.PushMentions, app.Type)
	assert.Equal(t, "21:30-08:00", app.IgnoreInterval)
	assert.Equal(t, clk.Now().Add(time.Hour), app.IgnoreUntil, "the server answers the end of the quiet period")

	g, err := c.Users.PushSettings(ctx, "alice", users.GroupChat, "g1")
	require.NoError(t, err)
	assert.Equal(t, users.PushDefault, g.Type, "a conversation never set follows the app")
	_, err = c.Users.SetPushSettings(ctx, "alice", users.GroupChat, "g1", users.PushUpdate{Type: users.PushNone})
	require.NoError(t, err)
	g, err = c.Users.PushSettings(ctx, "alice", users.GroupChat, "g1")
	require.NoError(t, err)
	assert.Equal(t, users.PushNone, g.Type)

	// Changing the type leaves the quiet period, which then runs out.
	_, err = c.Users.SetPushSettings(ctx, "alice", users.UserChat, "alice", users.PushUpdate{Type: users.PushAll})
	require.NoError(t, err)
	clk.Advance(time.Hour)
	app, err = c.Users.PushSettings(ctx, "alice", users.UserChat, "alice")
	require.NoError(t, err)
	assert.Equal(t, users.PushAll, app.Type)
	assert.Equal(t, "21:30-08:00", app.IgnoreInterval)
	assert.True(t, app.IgnoreUntil.IsZero(), "the quiet period is over")

	for name, u := range map[string]struct {
		kind users.ChatKind
		key  string
		upd  users.PushUpdate
	}{
		"default app-wide":     {users.UserChat, "alice", users.PushUpdate{Type: users.PushDefault}},
		"interval on a group":  {users.GroupChat, "g1", users.PushUpdate{IgnoreInterval: ptr("08:00-09:00")}},
		"interval form":        {users.UserChat, "alice", users.PushUpdate{IgnoreInterval: ptr("8:00-9:00")}},
		"duration above 7days": {users.UserChat, "alice", users.PushUpdate{IgnoreDuration: ptr(8 * 24 * time.Hour)}},
		"bad kind":             {"room", "r1", users.PushUpdate{}},
	} {
		_, err := c.Users.SetPushSettings(ctx, "alice", u.kind, u.key, u.upd)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Equal(t, 3, srv.Stats(easemob.GroupPushSetSettings).Received, "refused input is not sent")

	_, err = c.Users.PushSettings(ctx, "ghost", users.UserChat, "ghost")
	desc := apiCode(t, err, 400, "RequiredPropertyNotFoundException")
	assert.Equal(t, "Entity user requires a property named username", desc)
}

func TestPushLanguageAndTemplates(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	register(t, c, "alice")

	lang, err := c.Users.PushLanguage(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, lang)
	lang, err = c.Users.SetPushLanguage(ctx, "alice", "EU")
	require.NoError(t, err)
	assert.Equal(t, "EU", lang)
	lang, err = c.Users.PushLanguage(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, "EU", lang)

	tpl, err := c.Users.CreatePushTemplate(ctx, users.PushTemplate{Name: "greet", TitlePattern: "Hi {0}", ContentPattern: "{$msg}"})
	require.NoError(t, err)
	assert.False(t, tpl.Created.IsZero())
	got, err := c.Users.PushTemplate(ctx, "greet")
	require.NoError(t, err)
	assert.Equal(t, "Hi {0}", got.TitlePattern)
	assert.Equal(t, "{$msg}", got.ContentPattern)

	tok, err := c.Users.Token(ctx, "alice", "pw", 0)
	require.NoError(t, err)
	name, err := c.Users.SetReceiverTemplate(ctx, "alice", tok.AccessToken, "greet")
	require.NoError(t, err)
	assert.Equal(t, "greet", name)
	_, err = c.Users.SetReceiverTemplate(ctx, "alice", "YWMt-not-a-token", "greet")
	assert.ErrorIs(t, err, easemob.ErrUnauthorized)
	_, err = c.Users.SetReceiverTemplate(ctx, "alice", "", "greet")
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)

	del, err := c.Users.DeletePushTemplate(ctx, "greet")
	require.NoError(t, err)
	assert.Equal(t, "greet", del.Name)
	_, err = c.Users.PushTemplate(ctx, "greet")
	assert.Equal(t, "greet template is not exist", apiCode(t, err, 400, "EntityNotFoundException"))
	_, err = c.Users.CreatePushTemplate(ctx, users.PushTemplate{Name: "no-dash"})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
}

func TestSetPushNicknamesSplitsAt50(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	_, err := c.Users.RegisterBatch(ctx, newUsers("n", 110))
	require.NoError(t, err)
	in := make([]users.PushNickname, 0, 112)
	for i := range 110 {
		in = append(in, users.PushNickname{Username: fmt.Sprintf("n%03d", i), Nickname: fmt.Sprintf("昵称%d", i)})
	}
	in = append(in, users.PushNickname{Username: "ghost1", Nickname: "x"}, users.PushNickname{Username: "ghost2", Nickname: "y"})

	res, err := c.Users.SetPushNicknames(ctx, in)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 110, be.Done)
	assert.Equal(t, 2, be.Failed)
	assert.Equal(t, 3, srv.Stats(easemob.GroupPushSetNicknameBatch).Received, "50 + 50 + 12")
	assert.Equal(t, core.Omitted, res.Items[111].Reason, "the server sets only registered users")
	u, err := c.Users.Get(ctx, "n077")
	require.NoError(t, err)
	assert.Equal(t, "昵称77", u.Nickname)

	_, err = c.Users.SetPushNicknames(ctx, []users.PushNickname{{Username: "n001", Nickname: strings.Repeat("长", 101)}})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
}

func TestPushStatistics(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	day := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	srv.AddPushResults(day, "APNS", 10, 2, 0)
	srv.AddPushResults(day, "APNS", 5, 0, 0)
	srv.AddPushResults(day.AddDate(0, 0, 1), "VIVOPUSH", 7, 1, 6)
	srv.AddPushResults(day.AddDate(0, 0, 5), "APNS", 1, 1, 1)

	stats, err := c.Users.PushStatistics(ctx, day, day.AddDate(0, 0, 1), "")
	require.NoError(t, err)
	assert.Equal(t, users.PushStatistics{
		"2024-04-01": {users.APNs: {Success: 15, Fail: 2}},
		"2024-04-02": {users.Vivo: {Success: 7, Fail: 1, Arrive: 6}},
	}, stats)
	stats, err = c.Users.PushStatistics(ctx, day, day.AddDate(0, 0, 9), users.APNs)
	require.NoError(t, err)
	assert.Len(t, stats, 2, "the vivo day is left out")

	_, err = c.Users.PushStatistics(ctx, day, day.AddDate(0, 0, -1), "")
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
	_, err = c.Users.PushStatistics(ctx, day, day, "NOKIA")
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "platform is one of the documented")
}
