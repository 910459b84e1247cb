package groups_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/ratelimit"
)

// fast raises a group's quota far above the documented 100 calls/s.
func fast(group string) ratelimit.Quota {
	return ratelimit.Quota{Group: group, Limits: []ratelimit.Limit{{Count: 100_000, Window: time.Second}}}
}

// The iterators walk 10 000 groups (cursor paging) and the 10 000 members
// of one group (page numbers) and see every item exactly once. The state
// is seeded directly; the walk goes through the SDK and pays quota, which
// the emulator (WithQuotas) and the registry (Override) raise for the two
// list groups so that 100-item pages do not take seconds.
func TestIteratorsWalkTenThousand(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10 000 groups")
	}
	const n = 10_000
	lists := []string{easemob.GroupGroupsList, easemob.GroupGroupsListMembers}
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(fast(lists[0]), fast(lists[1])))
	reg := easemob.NewRegistry()
	for _, l := range lists {
		require.NoError(t, reg.Override(srv.AppKey, fast(l)))
	}
	c, err := easemob.New(easemob.Config{BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, Registry: reg})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	names, err := srv.AddUsers(n+1, "it", "pw")
	require.NoError(t, err)
	big, err := srv.AddGroup(names[0], names[1:]...) // the owner and 10 000 members
	require.NoError(t, err)
	want := map[string]int{big: 0}
	for i := 1; i < n; i++ {
		id, err := srv.AddGroup(names[i])
		require.NoError(t, err)
		want[id] = 0
	}
	ctx := context.Background()

	seen := map[string]int{}
	for g, err := range c.Groups.All(ctx, groups.ListParams{Limit: 100}) {
		require.NoError(t, err)
		seen[g.ID]++
	}
	assert.Len(t, seen, n)
	for id := range want {
		assert.Equal(t, 1, seen[id], id)
	}
	assert.Equal(t, n/100, srv.Stats(lists[0]).Received, "one call a page")

	members := map[string]int{}
	for m, err := range c.Groups.AllMembers(ctx, big, groups.MembersParams{PageSize: 100}) {
		require.NoError(t, err)
		members[m.Username]++
	}
	assert.Len(t, members, n+1, "10 000 members and the owner")
	for _, name := range names {
		assert.Equal(t, 1, members[name], name)
	}
	assert.Equal(t, (n+1+99)/100, srv.Stats(lists[1]).Received, "the last page is short")
}
