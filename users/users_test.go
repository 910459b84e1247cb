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
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/emutest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

// newClient starts an emulator and a client with a registry of its own, so
// tests do not share budgets.
func newClient(t *testing.T, opts ...easemobtest.Option) (*easemob.Client, *easemobtest.Server) {
	return emutest.NewClient(t, opts...)
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
			_, err := c.Users.RegisterBatch(ctx, []users.NewUser{{Username: "x", Password: "p"}, {Username: "X", Password: "p"}})
			return err
		}(),
		"empty batch": func() error { _, err := c.Users.RegisterBatch(ctx, nil); return err }(),
		"limit":       func() error { _, err := c.Users.List(ctx, users.ListParams{Limit: 101}); return err }(),
		"dup status":  func() error { _, err := c.Users.OnlineBatch(ctx, []string{"a", "A"}); return err }(),
		"dot-dot":     func() error { _, err := c.Users.Delete(ctx, ".."); return err }(),
		"resource":    func() error { _, err := c.Users.DisconnectDevice(ctx, "a", "x/../y"); return err }(),
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

	accounts := newUsers("b", 130) // 60 + 60 + 10 calls; b017 exists already
	res, err := c.Users.RegisterBatch(ctx, accounts)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 129, be.Done)
	assert.Equal(t, 1, be.Failed)
	require.Len(t, res.Items, 130)
	for i, it := range res.Items {
		assert.Equal(t, accounts[i], it.Input, "input order kept")
		if i == 17 {
			assert.Equal(t, batch.Failed, it.Status)
			assert.NotEmpty(t, it.Reason, "the server's registerUserFailReason")
			assert.NoError(t, it.Err, "refused by the server item by item, not a failed call")
			continue
		}
		assert.Equal(t, batch.Done, it.Status, i)
		assert.Equal(t, it.Input.Username, it.Value.Username)
	}
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
	// One call at a time, so the plan-quota failure of the second call
	// stops the batch before the third is sent.
	res, err := c.Users.RegisterBatch(context.Background(), newUsers("p", 150), option.Concurrency(1))
	require.Error(t, err)
	assert.ErrorIs(t, err, easemob.ErrPlanQuota, "the second call hit the plan's user count")
	assert.Equal(t, 60, res.Count(batch.Done))
	assert.Equal(t, 60, res.Count(batch.Failed))
	assert.Equal(t, 30, res.Count(batch.NotSent), "a call-level failure stops the batch")
	for _, it := range res.Items[60:120] {
		assert.ErrorIs(t, it.Err, easemob.ErrPlanQuota)
	}
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [4]int{60, 60, 0, 30}, [4]int{be.Done, be.Failed, be.Unknown, be.NotSent}, "counted in input items")
	assert.Equal(t, 2, srv.Stats(easemob.GroupUsersAccountWrite).Received, "plan quota is not retried, the rest is not sent")
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
	require.Len(t, online.Items, 250)
	assert.True(t, online.Items[7].Value)
	assert.Equal(t, "s008", online.Items[8].Input)
	assert.False(t, online.Items[8].Value, "unknown users are offline")
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
