package users_test

import (
	"context"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

// serverTime is how the mute reads keep unixtime.
const serverTime = "kept as ServerTime, a time.Time (the harness counts times in milliseconds, unixtime is seconds)"

var muteWire = []wiretest.Case{
	{Name: "SetMute", Op: catalog.MutesSet,
		Drops: map[string]string{"data.result": `SetMute returns only an error; "ok" is its nil`},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return nil, c.Users.SetMute(ctx, "zs1", users.Mute{Chat: users.MuteFor(100 * time.Second),
				GroupChat: users.MuteFor(users.MuteForever), Chatroom: users.MuteFor(0)})
		}},
	{Name: "Mute", Op: catalog.MutesGet, Drops: map[string]string{"data.unixtime": serverTime},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Mute(ctx, "zs1") }},
	{Name: "Mutes", Op: catalog.MutesList, Drops: map[string]string{"data.unixtime": serverTime},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Mutes(ctx, users.MuteListParams{PageNum: 1, PageSize: 10})
		}},
}
