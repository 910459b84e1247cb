package chatrooms_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// fastLists raises the list groups' quotas on both sides, so walking
// thousands of items in small pages takes no time.
func fastLists(t *testing.T) *env {
	t.Helper()
	groups := []string{easemob.GroupChatroomsList, easemob.GroupChatroomsListMembers, easemob.GroupChatroomsListJoinedByUser}
	reg := easemob.NewRegistry()
	var quotas []easemobtest.Option
	for _, g := range groups {
		q := ratelimit.Quota{Group: g, Limits: []ratelimit.Limit{{Count: 10_000, Window: time.Second}}}
		require.NoError(t, reg.Override(easemobtest.DefaultAppKey, q))
		quotas = append(quotas, easemobtest.WithQuotas(q))
	}
	return newEnvWith(t, reg, quotas...)
}

// seen counts the items of a walk by key, failing on an error.
func seen[T any](t *testing.T, walk func(yield func(T, error) bool), key func(T) string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for v, err := range walk {
		require.NoError(t, err)
		out[key(v)]++
	}
	return out
}

func onceEach(t *testing.T, got map[string]int, want []string) {
	t.Helper()
	assert.Len(t, got, len(want))
	for _, k := range want {
		if !assert.Equal(t, 1, got[k], k) {
			return
		}
	}
}

// The iterators walk 10,000 rooms and 10,000 members, each exactly once.
func TestIteratorsWalkEveryItemOnce(t *testing.T) {
	e := fastLists(t)
	big, members := e.crowd("o", "m", 10_000)
	rooms := []string{big}
	for range 9_999 {
		id, err := e.srv.AddChatroom("o")
		require.NoError(t, err)
		rooms = append(rooms, id)
	}

	got := seen(t, e.c.Chatrooms.All(e.ctx, chatrooms.ListParams{Limit: 100}), func(s chatrooms.Summary) string { return s.ID })
	onceEach(t, got, rooms)
	assert.Equal(t, 100, e.srv.Stats(easemob.GroupChatroomsList).Received)

	got = seen(t, e.c.Chatrooms.AllMembers(e.ctx, big, chatrooms.PageParams{Size: 500}), func(m chatrooms.Member) string { return m.Username })
	onceEach(t, got, append([]string{"o"}, members...))
	assert.Equal(t, 21, e.srv.Stats(easemob.GroupChatroomsListMembers).Received, "10,001 affiliations, 500 a page")

	got = seen(t, e.c.Chatrooms.AllJoinedByUser(e.ctx, "o", chatrooms.PageParams{}), func(s chatrooms.Summary) string { return s.ID })
	onceEach(t, got, rooms)
	assert.Equal(t, 11, e.srv.Stats(easemob.GroupChatroomsListJoinedByUser).Received, "1000 a page when unset: 10 full pages, then an empty one ends the walk")

	// Deleting the owner dissolves all 10,000 rooms at once.
	_, err := e.c.Users.Delete(e.ctx, "o")
	require.NoError(t, err)
	page, err := e.c.Chatrooms.List(e.ctx, chatrooms.ListParams{})
	require.NoError(t, err)
	assert.Empty(t, page.Chatrooms)
	joined, err := e.c.Chatrooms.ListJoinedByUser(e.ctx, "m1", chatrooms.PageParams{})
	require.NoError(t, err)
	assert.Empty(t, joined)
}
