package presence_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/emuclient"
	"github.com/emquota/easemob/presence"
)

func TestStatusSubscribeReadUnsubscribe(t *testing.T) {
	c, _ := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, c.Presence.SetStatus(ctx, "Alice", "android", presence.Online, "at work"))
	require.NoError(t, c.Presence.SetStatus(ctx, "alice", "ios", "42", "in a meeting"))

	before := time.Now().Add(-time.Second)
	sub, err := c.Presence.Subscribe(ctx, "bob", []string{"alice", "carol"}, time.Hour)
	require.NoError(t, err)
	require.Len(t, sub.Items, 2)
	alice := sub.Items[0].Value
	assert.Equal(t, "alice", alice.Username, "user IDs come back lower-case")
	assert.Equal(t, map[string]presence.Status{"android": presence.Online, "ios": "42"}, alice.Status)
	assert.Equal(t, "in a meeting", alice.Ext, "the latest status text")
	assert.WithinDuration(t, before.Add(time.Hour), alice.Expires(), 3*time.Second)
	assert.False(t, alice.LastChange().Before(before.Truncate(time.Second)))
	assert.Empty(t, sub.Items[1].Value.Status, "carol has set no status")

	got, err := c.Presence.Statuses(ctx, "bob", []string{"alice", "carol", "dave"})
	var be *batch.Error
	require.ErrorAs(t, err, &be, "dave is not subscribed to")
	assert.Equal(t, [2]int{2, 1}, [2]int{be.Done, be.Failed})
	assert.Equal(t, presence.Online, got.Items[0].Value.Status["android"])
	assert.Equal(t, batch.Failed, got.Items[2].Status)
	assert.Equal(t, "not in the server's answer", got.Items[2].Reason)

	page, err := c.Presence.Subscriptions(ctx, "bob", presence.PageParams{})
	require.NoError(t, err)
	assert.Equal(t, 2, page.Total)

	_, err = c.Presence.Unsubscribe(ctx, "bob", []string{"carol"})
	require.NoError(t, err)
	page, err = c.Presence.Subscriptions(ctx, "bob", presence.PageParams{})
	require.NoError(t, err)
	require.Len(t, page.Subscriptions, 1)
	assert.Equal(t, "alice", page.Subscriptions[0].Username)
	got, err = c.Presence.Statuses(ctx, "bob", []string{"carol"})
	require.Error(t, err)
	assert.Equal(t, batch.Failed, got.Items[0].Status, "no longer subscribed")

	got, err = c.Presence.Statuses(ctx, "nobody", []string{"alice"})
	require.Error(t, err, "an unknown requester has no subscriptions")
	assert.Equal(t, batch.Failed, got.Items[0].Status)
}

func TestBatchesSplitAt100AndPagesWalk(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	targets := emuclient.Names("u", 250)
	sub, err := c.Presence.Subscribe(ctx, "watcher", targets, 24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 250, sub.Count(batch.Done))
	for i, it := range sub.Items {
		assert.Equal(t, targets[i], it.Value.Username, "input order kept")
	}
	assert.Equal(t, 3, srv.Stats(easemob.GroupPresenceSubscribe).Received, "100 + 100 + 50")

	st, err := c.Presence.Statuses(ctx, "watcher", targets)
	require.NoError(t, err)
	assert.Equal(t, 250, st.Count(batch.Done))
	assert.Equal(t, 3, srv.Stats(easemob.GroupPresenceGetBatch).Received)

	var walked []string
	for s, err := range c.Presence.AllSubscriptions(ctx, "watcher", presence.PageParams{PageSize: 40}) {
		require.NoError(t, err)
		walked = append(walked, s.Username)
	}
	assert.Equal(t, targets, walked, "every subscription once, in the server's order")
	assert.Equal(t, 7, srv.Stats(easemob.GroupPresenceListSubscriptions).Received, "ceil(250/40) pages")

	un, err := c.Presence.Unsubscribe(ctx, "watcher", targets)
	require.NoError(t, err)
	assert.Equal(t, 250, un.Count(batch.Done))
	assert.Equal(t, 3, srv.Stats(easemob.GroupPresenceUnsubscribe).Received)
	page, err := c.Presence.Subscriptions(ctx, "watcher", presence.PageParams{})
	require.NoError(t, err)
	assert.Zero(t, page.Total)
	assert.Empty(t, page.Subscriptions)
}

func TestSubscribingAgainSetsANewExpiry(t *testing.T) {
	c, _ := emuclient.New(t)
	ctx := context.Background()
	_, err := c.Presence.Subscribe(ctx, "bob", []string{"alice"}, time.Hour)
	require.NoError(t, err)
	again, err := c.Presence.Subscribe(ctx, "bob", []string{"alice"}, 2*time.Hour)
	require.NoError(t, err)
	page, err := c.Presence.Subscriptions(ctx, "bob", presence.PageParams{})
	require.NoError(t, err)
	require.Len(t, page.Subscriptions, 1, "one subscription, not two")
	assert.Equal(t, again.Items[0].Value.Expiry, page.Subscriptions[0].Expiry)
}

// Deleting a user ends every subscription to it.
func TestDeletedUserLeavesSubscriptions(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, srv.AddUser("gone", "pw"))
	_, err := c.Presence.Subscribe(ctx, "bob", []string{"gone", "kept"}, time.Hour)
	require.NoError(t, err)
	_, err = c.Users.Delete(ctx, "gone")
	require.NoError(t, err)
	page, err := c.Presence.Subscriptions(ctx, "bob", presence.PageParams{})
	require.NoError(t, err)
	require.Len(t, page.Subscriptions, 1)
	assert.Equal(t, "kept", page.Subscriptions[0].Username)
}

// The emulator knows no group members until the groups module provides
// them: a group then counts nobody online.
func TestGroupOnlineCount(t *testing.T) {
	c, _ := emuclient.New(t)
	n, err := c.Presence.GroupOnlineCount(context.Background(), "1234", presence.ChatGroup)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestValidationSpendsNoQuota(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	errs := map[string]error{
		"self": func() error {
			_, err := c.Presence.Subscribe(ctx, "bob", []string{"alice", "BOB"}, time.Hour)
			return err
		}(),
		"expiry 0": func() error {
			_, err := c.Presence.Subscribe(ctx, "bob", []string{"alice"}, 0)
			return err
		}(),
		"expiry 31 days": func() error {
			_, err := c.Presence.Subscribe(ctx, "bob", []string{"alice"}, 31*24*time.Hour)
			return err
		}(),
		"dup target": func() error { _, err := c.Presence.Statuses(ctx, "bob", []string{"a", "A"}); return err }(),
		"no targets": func() error { _, err := c.Presence.Unsubscribe(ctx, "bob", nil); return err }(),
		"bad target": func() error { _, err := c.Presence.Statuses(ctx, "bob", []string{"a b"}); return err }(),
		"bad user":   func() error { _, err := c.Presence.Unsubscribe(ctx, "a/b", []string{"x"}); return err }(),
		"status":     c.Presence.SetStatus(ctx, "bob", "android", "online", "x"),
		"empty ext":  c.Presence.SetStatus(ctx, "bob", "android", presence.Online, ""),
		"long ext":   c.Presence.SetStatus(ctx, "bob", "android", presence.Online, strings.Repeat("x", 1025)),
		"resource":   c.Presence.SetStatus(ctx, "bob", "a/b", presence.Online, "x"),
		"page size": func() error {
			_, err := c.Presence.Subscriptions(ctx, "bob", presence.PageParams{PageSize: 101})
			return err
		}(),
		"page": func() error {
			_, err := c.Presence.Subscriptions(ctx, "bob", presence.PageParams{Page: -1})
			return err
		}(),
		"group kind":  func() error { _, err := c.Presence.GroupOnlineCount(ctx, "1", "2"); return err }(),
		"empty group": func() error { _, err := c.Presence.GroupOnlineCount(ctx, "", presence.ChatGroup); return err }(),
	}
	for name, err := range errs {
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
}
