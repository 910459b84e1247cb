package chatrooms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/batch"
)

func TestBlockList(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a", "b", "c")
	e.users("out")
	_, err := e.c.Chatrooms.BlockMember(e.ctx, id, "o")
	assert.Equal(t, "forbidden operation on group owner!", apiError(t, err, 403, "forbidden_op").Description)
	_, err = e.c.Chatrooms.BlockMember(e.ctx, id, "out")
	assert.Equal(t, "users [out] are not members of this group!", apiError(t, err, 403, "forbidden_op").Description)
	ok, err := e.c.Chatrooms.BlockMember(e.ctx, id, "a")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, []string{"o", "b", "c"}, e.members(id), "a blocked member is removed")
	_, err = e.c.Chatrooms.AddMember(e.ctx, id, "a")
	_ = apiError(t, err, 403, "forbidden_op", "blocked users cannot join")

	res, err := e.c.Chatrooms.BlockMembers(e.ctx, id, []string{"b", "out", "c"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, map[string]string{"b": "done", "out": "failed: user: out doesn't exist in chatroom: " + id, "c": "done"}, reasons(res))
	_, err = e.c.Chatrooms.BlockMembers(e.ctx, id, []string{"out", "a"})
	assert.Equal(t, "users [out, a] are not members of this group!", apiError(t, err, 403, "forbidden_op").Description)

	blocked, err := e.c.Chatrooms.ListBlocked(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, blocked)

	ok, err = e.c.Chatrooms.UnblockMember(e.ctx, id, "a")
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = e.c.Chatrooms.UnblockMember(e.ctx, id, "a")
	_ = apiError(t, err, 403, "forbidden_op", "not on the list")
	res, err = e.c.Chatrooms.UnblockMembers(e.ctx, id, []string{"b", "out", "c"})
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "done", reasons(res)["c"])
	assert.Equal(t, "failed: user: out is not in the blacklist of chatroom: "+id, reasons(res)["out"])
	blocked, err = e.c.Chatrooms.ListBlocked(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, blocked)
	ok, err = e.c.Chatrooms.AddMember(e.ctx, id, "a")
	require.NoError(t, err)
	assert.True(t, ok, "unblocked users may join again")
}

func TestAllowList(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a", "b")
	e.users("out")
	_, err := e.c.Chatrooms.AllowMember(e.ctx, id, "out")
	_ = apiError(t, err, 403, "forbidden_op", "members only")
	ok, err := e.c.Chatrooms.AllowMember(e.ctx, id, "a")
	require.NoError(t, err)
	assert.True(t, ok)
	res, err := e.c.Chatrooms.AllowMembers(e.ctx, id, []string{"b", "out", "o"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, map[string]string{"b": "done", "o": "done", "out": "failed: user: out doesn't exist in chatroom: " + id}, reasons(res))
	allowed, err := e.c.Chatrooms.ListAllowlist(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "o"}, allowed)

	res, err = e.c.Chatrooms.DisallowMembers(e.ctx, id, []string{"a"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "done"}, reasons(res), "one user: still a list answer")
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "b")
	require.NoError(t, err)
	allowed, err = e.c.Chatrooms.ListAllowlist(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, []string{"o"}, allowed, "leaving the room leaves the list")
	_, err = e.c.Chatrooms.DisallowMembers(e.ctx, id, []string{"a", "b"})
	_ = apiError(t, err, 400, "forbidden_op", "none of them on the list")
}
