package chatrooms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
)

func TestAddAndRemoveMember(t *testing.T) {
	e := newEnv(t)
	e.users("o", "u", "v")
	id, err := e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "small", Owner: "o", MaxUsers: 2})
	require.NoError(t, err)

	ok, err := e.c.Chatrooms.AddMember(e.ctx, id, "U")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = e.c.Chatrooms.AddMember(e.ctx, id, "u")
	require.NoError(t, err)
	assert.True(t, ok, "already a member counts as added")
	_, err = e.c.Chatrooms.AddMember(e.ctx, id, "v")
	assert.Equal(t, "members size is greater than max user size !", apiError(t, err, 403, "exceed_limit").Description)
	_, err = e.c.Chatrooms.AddMember(e.ctx, id, "ghost")
	assert.Equal(t, "username ghost doesn't exist!", apiError(t, err, 404, "resource_not_found").Description)
	assert.Equal(t, []string{"o", "u"}, e.members(id))

	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "v")
	assert.Equal(t, "users [v] are not members of this group!", apiError(t, err, 400, "forbidden_op").Description)
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "o")
	assert.Equal(t, "forbidden operation on group owner!", apiError(t, err, 400, "forbidden_op", "the owner cannot leave").Description)
	ok, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "u")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"o"}, e.members(id))
}

// A batch above the cap is split (60 a call, the count every page of the
// docs accepts), and every user is reported by name.
func TestAddMembersSplitsAndReportsEachUser(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "blocked")
	ok, err := e.c.Chatrooms.BlockMember(e.ctx, id, "blocked")
	require.NoError(t, err)
	require.True(t, ok)
	users := e.numbered("m", 130)
	in := append(append([]string{}, users[:70]...), append([]string{"blocked"}, users[70:]...)...)

	res, err := e.c.Chatrooms.AddMembers(e.ctx, id, in)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{130, 1}, [2]int{be.Done, be.Failed})
	assert.Equal(t, "failed: not among the members the server added", reasons(res)["blocked"], "blocked users cannot join")
	assert.Equal(t, 3, e.srv.Stats(easemob.GroupChatroomsAddMembers).Received, "60 + 60 + 11")
	assert.Len(t, e.members(id), 131)

	res, err = e.c.Chatrooms.AddMembers(e.ctx, id, []string{"m1", "nobody"})
	require.Error(t, err)
	for _, it := range res.Items {
		assert.Equal(t, batch.Failed, it.Status, "an unknown user fails its call")
		assert.ErrorIs(t, it.Err, easemob.ErrNotFound)
	}
}

func TestRemoveMembersReportsEachUser(t *testing.T) {
	e := newEnv(t)
	id, users := e.crowd("o", "m", 65)
	e.users("out")

	in := append([]string{"out", "o"}, users[:60]...) // 62 names: a call of 60, then one of 2
	res, err := e.c.Chatrooms.RemoveMembers(e.ctx, id, in)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	got := reasons(res)
	assert.Equal(t, "failed: user: out doesn't exist in group: "+id, got["out"])
	assert.Equal(t, "failed: forbidden operation on group owner!", got["o"])
	assert.Equal(t, "done", got["m0"])
	assert.Equal(t, [2]int{60, 2}, [2]int{be.Done, be.Failed})
	assert.ElementsMatch(t, append([]string{"o"}, users[60:]...), e.members(id))

	// 61 names: the last call names one user, which the server takes as
	// the single-user call and answers with one object.
	res, err = e.c.Chatrooms.RemoveMembers(e.ctx, id, append(names("x", 60), "m64"))
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "done", reasons(res)["m64"])
	for _, it := range res.Items[:60] {
		_ = apiError(t, it.Err, 400, "forbidden_op", "none of the first 60 is a member: the call fails")
		assert.Equal(t, "users ["+joinNames(names("x", 60))+"] are not members of this group!", it.Reason)
	}
	res, err = e.c.Chatrooms.RemoveMembers(e.ctx, id, append(names("y", 60), "out"))
	require.Error(t, err)
	_ = apiError(t, res.Items[60].Err, 400, "forbidden_op", "one name alone that is no member: the single call's error")
}

func TestListMembersPages(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a", "b", "c")
	page, err := e.c.Chatrooms.ListMembers(e.ctx, id, chatrooms.PageParams{Page: 2, Size: 2})
	require.NoError(t, err)
	assert.Equal(t, []chatrooms.Member{{Username: "b"}, {Username: "c"}}, page)
	page, err = e.c.Chatrooms.ListMembers(e.ctx, id, chatrooms.PageParams{})
	require.NoError(t, err)
	assert.Equal(t, []chatrooms.Member{{Username: "o", Owner: true}, {Username: "a"}, {Username: "b"}, {Username: "c"}}, page)
	_, err = e.c.Chatrooms.ListMembers(e.ctx, "nope", chatrooms.PageParams{})
	assert.Equal(t, "do not find this group:nope", apiError(t, err, 404, "service_resource_not_found").Description)
}

func TestAdmins(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a", "b")
	e.users("out")
	_, err := e.c.Chatrooms.AddAdmin(e.ctx, id, "out")
	_ = apiError(t, err, 404, "resource_not_found", "only members")
	_, err = e.c.Chatrooms.AddAdmin(e.ctx, id, "o")
	_ = apiError(t, err, 403, "forbidden_op", "not the owner")
	_, err = e.c.Chatrooms.AddAdmin(e.ctx, id, "ghost")
	assert.Equal(t, "username ghost doesn't exist!", apiError(t, err, 404, "resource_not_found").Description)
	for _, u := range []string{"a", "b"} {
		ok, err := e.c.Chatrooms.AddAdmin(e.ctx, id, u)
		require.NoError(t, err)
		assert.True(t, ok)
	}
	_, err = e.c.Chatrooms.AddAdmin(e.ctx, id, "a")
	_ = apiError(t, err, 403, "forbidden_op", "already an admin")
	admins, err := e.c.Chatrooms.ListAdmins(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, admins)

	ok, err := e.c.Chatrooms.RemoveAdmin(e.ctx, id, "a")
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = e.c.Chatrooms.RemoveAdmin(e.ctx, id, "a")
	_ = apiError(t, err, 403, "forbidden_op", "no longer an admin")
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "b")
	require.NoError(t, err)
	admins, err = e.c.Chatrooms.ListAdmins(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, admins, "leaving drops the role")
}

func TestAdminLimit(t *testing.T) {
	e := newEnv(t)
	id, users := e.crowd("o", "a", 100)
	for _, u := range users[:99] {
		_, err := e.c.Chatrooms.AddAdmin(e.ctx, id, u)
		require.NoError(t, err)
	}
	_, err := e.c.Chatrooms.AddAdmin(e.ctx, id, users[99])
	_ = apiError(t, err, 403, "exceed_limit", "at most 99 admins")
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}
