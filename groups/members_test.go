package groups_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/groups"
)

func TestAddAndRemoveMembers(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "m", 130)
	id, err := srv.AddGroup(u[0], u[1])
	require.NoError(t, err)

	ok, err := g.AddMember(ctx, id, u[2])
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.AddMember(ctx, id, u[2])
	status, code, desc := apiCode(t, err)
	assert.Equal(t, 403, status)
	assert.Equal(t, "forbidden_op", code)
	assert.Equal(t, "can not join this group, reason:user: "+u[2]+" already in group: "+id+"\n", desc)
	_, err = g.AddMember(ctx, id, "ghost")
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "username ghost doesn't exist!", desc)

	// 127 names: 60 + 60 + 7 calls; u[1] and u[2] are members already.
	res, err := g.AddMembers(ctx, id, u[1:128])
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 125, be.Done)
	assert.Equal(t, 2, be.Failed)
	assert.Equal(t, groups.NotAdded, res.Items[0].Reason)
	assert.Equal(t, groups.NotAdded, res.Items[1].Reason)
	assert.Equal(t, 3, srv.Stats(easemob.GroupGroupsAddMembers).Received)

	// A call whose every name is in already fails whole, with the server's 403.
	res, err = g.AddMembers(ctx, id, u[5:7])
	require.ErrorAs(t, err, &be)
	for _, it := range res.Items {
		assert.Equal(t, batch.Failed, it.Status)
		assert.Contains(t, it.Reason, "already in group")
		assert.ErrorIs(t, it.Err, easemob.ErrForbidden)
	}

	var members []string
	for m, err := range g.AllMembers(ctx, id, groups.MembersParams{PageSize: 50, JoinedTime: true}) {
		require.NoError(t, err)
		assert.False(t, m.Joined.IsZero(), "joined_time asked for")
		members = append(members, m.Username)
	}
	assert.Equal(t, u[0], members[0], "the owner first")
	assert.ElementsMatch(t, u[:128], members, "every member once (chunks went out concurrently, so join order varies)")
	first, err := g.Members(ctx, id, groups.MembersParams{PageNum: 1, PageSize: 2})
	require.NoError(t, err)
	assert.Equal(t, []groups.Member{{Username: u[0], Role: groups.Owner}, {Username: u[1], Role: groups.Plain}}, first)

	ok, err = g.RemoveMember(ctx, id, u[3])
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.RemoveMember(ctx, id, u[3])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "users ["+u[3]+"] are not members of this group!", desc)
	_, err = g.RemoveMember(ctx, id, u[0])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "forbidden operation on group owner!", desc)

	// Per-name results: the owner and a non-member refused, the rest done.
	names := append([]string{u[0], u[3]}, u[10:80]...)
	rm, err := g.RemoveMembers(ctx, id, names)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{70, 2}, [2]int{be.Done, be.Failed})
	assert.Equal(t, "forbidden operation on group owner!", rm.Items[0].Reason)
	assert.Equal(t, "user: "+u[3]+" doesn't exist in group: "+id, rm.Items[1].Reason)
	assert.Equal(t, 2, srv.Stats(easemob.GroupGroupsRemoveMembers).Received-3, "60 + 12 names")
	in, err := g.IsMember(ctx, id, u[50])
	require.NoError(t, err)
	assert.False(t, in)

	// A one-name batch takes the single route and still reports per name.
	one, err := g.RemoveMembers(ctx, id, []string{u[90]})
	require.NoError(t, err)
	assert.Equal(t, batch.Done, one.Items[0].Status)

	_, err = g.RemoveMembers(ctx, id, []string{u[91], "a/../b"})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "a name that would change the path")
	_, err = g.AddMembers(ctx, id, []string{u[91], "M091"})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "a name given twice")
}

func TestGroupFull(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "f", 5)
	id, err := g.Create(ctx, groups.NewGroup{Owner: u[0], MaxUsers: 3, Members: u[1:2]})
	require.NoError(t, err)
	_, err = g.AddMembers(ctx, id, u[2:4])
	_, code, desc := apiCode(t, err)
	assert.Equal(t, "exceed_limit", code)
	assert.Equal(t, "members size is greater than max user size !", desc)
	_, err = g.AddMember(ctx, id, u[2])
	require.NoError(t, err)
	_, err = g.AddMember(ctx, id, u[3])
	_, code, _ = apiCode(t, err)
	assert.Equal(t, "exceed_limit", code)
}

func TestAdmins(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "a", 102)
	id, err := srv.AddGroup(u[0], u[1:101]...)
	require.NoError(t, err)

	for _, name := range u[1:100] {
		ok, err := g.AddAdmin(ctx, id, name)
		require.NoError(t, err)
		require.True(t, ok)
	}
	_, err = g.AddAdmin(ctx, id, u[100])
	_, code, _ := apiCode(t, err)
	assert.Equal(t, "exceed_limit", code, "at most 99 admins")
	_, err = g.AddAdmin(ctx, id, u[101])
	status, _, desc := apiCode(t, err)
	assert.Equal(t, 404, status)
	assert.Equal(t, "user: "+u[101]+" doesn't exist in group: "+id, desc)
	_, err = g.AddAdmin(ctx, id, u[0])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "forbidden operation on group owner!", desc)

	admins, err := g.Admins(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, u[1:100], admins)
	ok, err := g.RemoveAdmin(ctx, id, u[1])
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.RemoveAdmin(ctx, id, u[1])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "user:"+u[1]+" is not admin of group:"+id, desc)

	// An admin who leaves is an admin no more.
	_, err = g.RemoveMember(ctx, id, u[2])
	require.NoError(t, err)
	admins, err = g.Admins(ctx, id)
	require.NoError(t, err)
	assert.NotContains(t, admins, u[2])
}

func TestBlocklist(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "b", 70)
	id, err := srv.AddGroup(u[0], u[1:66]...)
	require.NoError(t, err)

	ok, err := g.BlockMember(ctx, id, u[1])
	require.NoError(t, err)
	assert.True(t, ok)
	in, err := g.IsMember(ctx, id, u[1])
	require.NoError(t, err)
	assert.False(t, in, "a blocked user leaves the group")
	_, err = g.AddMember(ctx, id, u[1])
	_, code, _ := apiCode(t, err)
	assert.Equal(t, "forbidden_op", code, "a blocked user cannot join")
	_, err = g.BlockMember(ctx, id, u[0])
	_, _, desc := apiCode(t, err)
	assert.Equal(t, "forbidden operation on group owner!", desc)
	_, err = g.BlockMember(ctx, id, u[68])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "users ["+u[68]+"] are not members of this group!", desc)

	// 66 names, 2 calls: u[68] and u[69] are not members.
	res, err := g.BlockMembers(ctx, id, append(u[2:66], u[68], u[69]))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{64, 2}, [2]int{be.Done, be.Failed})
	assert.Equal(t, "user: "+u[69]+" doesn't exist in group: "+id, res.Items[65].Reason)
	blocked, err := g.Blocked(ctx, id)
	require.NoError(t, err)
	assert.Len(t, blocked, 65)

	ok, err = g.UnblockMember(ctx, id, u[1])
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.UnblockMember(ctx, id, u[1])
	_, code, _ = apiCode(t, err)
	assert.Equal(t, "forbidden_op", code)
	un, err := g.UnblockMembers(ctx, id, u[1:66])
	require.ErrorAs(t, err, &be)
	assert.Equal(t, batch.Failed, un.Items[0].Status, "unblocked already")
	assert.Equal(t, 64, be.Done)
	blocked, err = g.Blocked(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, blocked)
	_, err = g.AddMember(ctx, id, u[1])
	require.NoError(t, err, "unblocked, the user may join again")
}

func TestAllowlist(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "w", 5)
	id, err := srv.AddGroup(u[0], u[1:4]...)
	require.NoError(t, err)

	ok, err := g.AllowMember(ctx, id, u[1])
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.AllowMember(ctx, id, u[4])
	_, code, _ := apiCode(t, err)
	assert.Equal(t, "forbidden_op", code, "only members")
	res, err := g.AllowMembers(ctx, id, []string{u[2], u[3], u[4]})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, batch.Failed, res.Items[2].Status)
	allowed, err := g.Allowlist(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, u[1:4], allowed)

	res, err = g.DisallowMembers(ctx, id, []string{u[1]})
	require.NoError(t, err, "one name")
	assert.Equal(t, batch.Done, res.Items[0].Status)
	_, err = g.DisallowMembers(ctx, id, []string{u[1], u[2], u[3]})
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{2, 1}, [2]int{be.Done, be.Failed})
	allowed, err = g.Allowlist(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, allowed)
}

func TestMutes(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	clock := &now
	g, srv := newClient(t, withClock(clock))
	ctx := context.Background()
	u := users(t, srv, "q", 5)
	id, err := srv.AddGroup(u[0], u[1:4]...)
	require.NoError(t, err)

	res, err := g.MuteMembers(ctx, id, []string{u[1], u[2], u[0], u[4]}, time.Minute)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, now.Add(time.Minute), res.Items[0].Value.Expire)
	assert.Equal(t, "forbidden operation on group owner!", res.Items[2].Reason)
	assert.Equal(t, batch.Failed, res.Items[3].Status, "not a member")
	forever, err := g.MuteMembers(ctx, id, []string{u[3]}, groups.MuteForever)
	require.NoError(t, err)
	assert.True(t, forever.Items[0].Value.Forever)

	muted, err := g.Muted(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []groups.Mute{{Username: u[1], Expire: now.Add(time.Minute)}, {Username: u[2], Expire: now.Add(time.Minute)},
		{Username: u[3], Forever: true}}, muted)

	*clock = now.Add(2 * time.Minute) // the minute mutes expire
	muted, err = g.Muted(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []groups.Mute{{Username: u[3], Forever: true}}, muted)

	un, err := g.UnmuteMembers(ctx, id, []string{u[3], u[1]})
	require.ErrorAs(t, err, &be)
	assert.Equal(t, batch.Done, un.Items[0].Status)
	assert.Equal(t, batch.Failed, un.Items[1].Status, "no mute left to lift")

	require.NoError(t, g.MuteAll(ctx, id))
	det, err := g.Get(ctx, []string{id})
	require.NoError(t, err)
	assert.True(t, det.Items[0].Value.AllMuted)
	muted, err = g.Muted(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, muted, "muting all leaves the mute list alone")
	require.NoError(t, g.UnmuteAll(ctx, id))
	det, _ = g.Get(ctx, []string{id})
	assert.False(t, det.Items[0].Value.AllMuted)

	_, err = g.MuteMembers(ctx, id, []string{u[1]}, 1500*time.Microsecond)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "not a whole number of milliseconds")
	_, err = g.MuteMembers(ctx, id, []string{u[1]}, -time.Second)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
}
