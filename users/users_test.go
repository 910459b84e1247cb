package users_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/users"
)

// newClient starts an emulator and a client with a registry of its own, so
// tests do not share budgets.
func newClient(t *testing.T, opts ...easemobtest.Option) (*easemob.Client, *easemobtest.Server) {
	t.Helper()
	srv := easemobtest.NewServer(t, opts...)
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: easemob.NewRegistry(),
	})
	require.NoError(t, err)
	return c, srv
}

func newUsers(prefix string, n int) []users.NewUser {
	out := make([]users.NewUser, n)
	for i := range out {
		out[i] = users.NewUser{Username: fmt.Sprintf("%s%03d", prefix, i), Password: "pw"}
	}
	return out
}

func TestRegisterGetDelete(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()

	u, err := c.Users.Register(ctx, users.NewUser{Username: "Alice", Password: "pw", Nickname: "A"})
	require.NoError(t, err)
	assert.Equal(t, "alice", u.Username, "usernames are stored lower-case")
	assert.NotEmpty(t, u.UUID)
	assert.True(t, u.Activated)
	assert.False(t, u.Created.IsZero())

	got, err := c.Users.Get(ctx, "ALICE")
	require.NoError(t, err)
	assert.Equal(t, u.UUID, got.UUID)

	_, err = c.Users.Register(ctx, users.NewUser{Username: "alice", Password: "pw"})
	var apiErr *easemob.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "duplicate_unique_property_exists", apiErr.Code)

	del, err := c.Users.Delete(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, u.UUID, del.UUID)

	_, err = c.Users.Get(ctx, "alice")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}

func TestValidationSpendsNoQuota(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	long := strings.Repeat("a", 65)
	cases := map[string]error{
		"empty":    func() error { _, err := c.Users.Get(ctx, ""); return err }(),
		"too long": func() error { _, err := c.Users.Get(ctx, long); return err }(),
		"bad char": func() error {
			_, err := c.Users.Register(ctx, users.NewUser{Username: "a b", Password: "x"})
			return err
		}(),
		"no password": func() error { _, err := c.Users.Register(ctx, users.NewUser{Username: "ab"}); return err }(),
		"dup in batch": func() error {
			_, err := c.Users.RegisterBatch(ctx, []users.NewUser{{"x", "p", ""}, {"X", "p", ""}})
			return err
		}(),
		"empty batch": func() error { _, err := c.Users.RegisterBatch(ctx, nil); return err }(),
		"limit":       func() error { _, err := c.Users.List(ctx, users.ListParams{Limit: 101}); return err }(),
		"msg id":      func() error { _, err := c.Users.OfflineMessageStatus(ctx, "a", ""); return err }(),
	}
	for name, err := range cases {
		var v *easemob.ValidationError
		assert.ErrorAs(t, err, &v, name)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
	for _, g := range []string{easemob.GroupUsersGet, easemob.GroupUsersAccountWrite, easemob.GroupUsersList} {
		assert.Zero(t, srv.Stats(g).Received, g)
	}
}

func TestRegisterBatchSplitsAndReportsEachUser(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	_, err := c.Users.Register(ctx, users.NewUser{Username: "b017", Password: "pw"})
	require.NoError(t, err)

	batch := newUsers("b", 130) // 60 + 60 + 10 calls; b017 exists already
	res, err := c.Users.RegisterBatch(ctx, batch)

	var be *easemob.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 129, be.Succeeded)
	assert.Equal(t, 1, be.Failed)
	assert.Len(t, res.Created, 129)
	require.Len(t, res.Failed, 1)
	assert.Equal(t, "b017", res.Failed[0].Username)
	assert.NoError(t, res.Failed[0].Err, "refused by the server item by item, not a failed call")
	assert.Equal(t, 1+3, srv.Stats(easemob.GroupUsersAccountWrite).Received)

	all := 0
	for u, err := range c.Users.All(ctx, users.ListParams{Limit: 7}) {
		require.NoError(t, err)
		require.NotEmpty(t, u.Username)
		all++
	}
	assert.Equal(t, 130, all)
}

func TestRegisterBatchReportsFailedCalls(t *testing.T) {
	c, srv := newClient(t, easemobtest.WithUserLimit(70))
	res, err := c.Users.RegisterBatch(context.Background(), newUsers("p", 100))
	require.Error(t, err)
	assert.ErrorIs(t, err, easemob.ErrPlanQuota, "the second call hit the plan's user count")
	assert.Len(t, res.Created, 60)
	assert.Len(t, res.Failed, 40)
	for _, f := range res.Failed {
		assert.ErrorIs(t, f.Err, easemob.ErrPlanQuota)
	}
	assert.Equal(t, 2, srv.Stats(easemob.GroupUsersAccountWrite).Received, "plan quota is not retried")
}

func TestListPagesAndDeleteBatch(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	_, err := c.Users.RegisterBatch(ctx, newUsers("l", 25))
	require.NoError(t, err)

	page, err := c.Users.List(ctx, users.ListParams{Limit: 10})
	require.NoError(t, err)
	assert.Len(t, page.Users, 10)
	assert.Equal(t, "l000", page.Users[0].Username, "oldest first")
	require.NotEmpty(t, page.Cursor)

	deleted, err := c.Users.DeleteBatch(ctx, users.ListParams{Limit: 20})
	require.NoError(t, err)
	assert.Len(t, deleted.Users, 20)
	rest, err := c.Users.List(ctx, users.ListParams{Limit: 100})
	require.NoError(t, err)
	assert.Len(t, rest.Users, 5)
	assert.Empty(t, rest.Cursor, "last page has no cursor")
}

func TestPasswordBanAndSessions(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	_, err := c.Users.Register(ctx, users.NewUser{Username: "carol", Password: "pw"})
	require.NoError(t, err)

	require.NoError(t, c.Users.ChangePassword(ctx, "carol", "new-pw"))
	assert.ErrorIs(t, c.Users.ChangePassword(ctx, "nobody", "x"), easemob.ErrNotFound)

	u, err := c.Users.Deactivate(ctx, "carol")
	require.NoError(t, err)
	assert.False(t, u.Activated)
	require.NoError(t, c.Users.Activate(ctx, "carol"))
	got, err := c.Users.Get(ctx, "carol")
	require.NoError(t, err)
	assert.True(t, got.Activated)

	online, err := c.Users.Online(ctx, "carol")
	require.NoError(t, err)
	assert.False(t, online)
	require.NoError(t, srv.SetOnline("carol", "android_1", "ios_2"))
	online, err = c.Users.Online(ctx, "carol")
	require.NoError(t, err)
	assert.True(t, online)

	devices, err := c.Users.Devices(ctx, "carol")
	require.NoError(t, err)
	require.Len(t, devices, 2)
	ok, err := c.Users.DisconnectDevice(ctx, "carol", devices[0].Resource)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = c.Users.Disconnect(ctx, "carol")
	require.NoError(t, err)
	assert.True(t, ok)

	n, err := c.Users.OfflineMessageCount(ctx, "carol")
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = c.Users.OfflineMessageStatus(ctx, "carol", "123")
	require.NoError(t, err)
}

func TestOnlineBatchSplitsAt100(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names := make([]string, 250)
	for i := range names {
		names[i] = fmt.Sprintf("s%03d", i)
	}
	_, err := c.Users.Register(ctx, users.NewUser{Username: "s007", Password: "pw"})
	require.NoError(t, err)
	require.NoError(t, srv.SetOnline("s007", "web_1"))

	online, err := c.Users.OnlineBatch(ctx, names)
	require.NoError(t, err)
	assert.Len(t, online, 250)
	assert.True(t, online["s007"])
	assert.False(t, online["s008"], "unknown users are offline")
	assert.Equal(t, 3, srv.Stats(easemob.GroupUsersGetStatusBatch).Received)
}

func TestTokenRefreshedOnceAfter401(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	_, err := c.Users.Register(ctx, users.NewUser{Username: "dave", Password: "pw"})
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokenRequests())

	var gets atomic.Int32
	srv.OnRequest(func(r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/users/dave") {
			gets.Add(1)
		}
	})
	srv.ExpireTokens()
	_, err = c.Users.Get(ctx, "dave")
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests())
	assert.Equal(t, int32(2), gets.Load(), "the call was resent once after the refresh")
}

func TestNotFoundIsNotRetried(t *testing.T) {
	c, srv := newClient(t)
	_, err := c.Users.Get(context.Background(), "ghost")
	var apiErr *easemob.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "users.Get", apiErr.Op)
	assert.Equal(t, easemob.GroupUsersGet, apiErr.Group)
	assert.False(t, errors.Is(err, easemob.ErrRateLimited))
	assert.Equal(t, 1, srv.Stats(easemob.GroupUsersGet).Received)
}
