package users_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
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
			return nil, c.Users.SetMute(ctx, "zs1", users.MuteUpdate{Chat: users.MuteFor(100 * time.Second),
				GroupChat: users.MuteFor(users.MuteForever), Chatroom: users.MuteFor(0)})
		}},
	{Name: "Mute", Op: catalog.MutesGet, Drops: map[string]string{"data.unixtime": serverTime},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Mute(ctx, "zs1") }},
	{Name: "Mutes", Op: catalog.MutesList, Drops: map[string]string{"data.unixtime": serverTime},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.Mutes(ctx, users.MuteListParams{PageNum: 1, PageSize: 10})
		}},
}

func TestGlobalMutes(t *testing.T) {
	clk := newClock()
	c, _ := newClient(t, easemobtest.WithClock(clk.Now))
	ctx := context.Background()
	register(t, c, "alice", "bob")

	require.NoError(t, c.Users.SetMute(ctx, "alice", users.MuteUpdate{Chat: users.MuteFor(100 * time.Second), GroupChat: users.MuteFor(users.MuteForever)}))
	m, err := c.Users.Mute(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, users.MuteStatus{UserID: easemobtest.DefaultAppKey + "_alice", Chat: 100 * time.Second,
		GroupChat: users.MuteForever, ServerTime: clk.Now()}, *m)

	clk.Advance(40 * time.Second)
	require.NoError(t, c.Users.SetMute(ctx, "bob", users.MuteUpdate{Chatroom: users.MuteFor(time.Hour)}))
	page, err := c.Users.Mutes(ctx, users.MuteListParams{})
	require.NoError(t, err)
	assert.ElementsMatch(t, []users.MuteRow{
		{Username: "alice", Kind: users.MuteChat, Left: 60 * time.Second},
		{Username: "alice", Kind: users.MuteGroupChat, Left: users.MuteForever},
		{Username: "bob", Kind: users.MuteChatroom, Left: time.Hour},
	}, page.Rows, "one row per user and kind")

	require.NoError(t, c.Users.SetMute(ctx, "alice", users.MuteUpdate{GroupChat: users.MuteFor(0)}))
	require.NoError(t, c.Users.SetMute(ctx, "alice", users.MuteUpdate{}), "no kind: nothing changes")
	clk.Advance(time.Minute)
	m, err = c.Users.Mute(ctx, "alice")
	require.NoError(t, err)
	assert.Zero(t, m.Chat, "the chat mute ran out")
	assert.Zero(t, m.GroupChat, "0 lifts a mute")
	page, err = c.Users.Mutes(ctx, users.MuteListParams{})
	require.NoError(t, err)
	assert.Equal(t, []users.MuteRow{{Username: "bob", Kind: users.MuteChatroom, Left: 59 * time.Minute}}, page.Rows)

	err = c.Users.SetMute(ctx, "ghost", users.MuteUpdate{Chat: users.MuteFor(time.Second)})
	assert.Equal(t, "Entity user requires a property named username", apiCode(t, err, 400, "required_property_not_found"))
	_, err = c.Users.Mute(ctx, "ghost")
	apiCode(t, err, 400, "required_property_not_found")
	for _, d := range []time.Duration{1500 * time.Millisecond, -2 * time.Second, 2147483648 * time.Second} {
		assert.ErrorIs(t, c.Users.SetMute(ctx, "alice", users.MuteUpdate{Chat: users.MuteFor(d)}), easemob.ErrInvalidArgument, d)
	}
}

func TestAllMutesWalksPageNumbers(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names, err := srv.AddUsers(12, "m", "pw")
	require.NoError(t, err)
	for _, n := range names {
		require.NoError(t, c.Users.SetMute(ctx, n, users.MuteUpdate{Chatroom: users.MuteFor(users.MuteForever)}))
	}
	seen := map[string]bool{}
	for _, row := range collect(t, c.Users.AllMutes(ctx, users.MuteListParams{PageSize: 5})) {
		assert.False(t, seen[row.Username], "%s twice", row.Username)
		seen[row.Username] = true
	}
	assert.Len(t, seen, 12)
	assert.Equal(t, 3, srv.Stats(easemob.GroupMutesList).Received, "5 + 5 + 2: the short page is the last")

	assert.Len(t, collect(t, c.Users.AllMutes(ctx, users.MuteListParams{PageSize: 4})), 12)
	assert.Equal(t, 3+4, srv.Stats(easemob.GroupMutesList).Received, "4 + 4 + 4 + an empty page")
	_, err = c.Users.Mutes(ctx, users.MuteListParams{PageSize: 51})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "pageSize is 1 to 50")
}
