package chatrooms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/chatrooms"
)

func TestSuperAdmins(t *testing.T) {
	e := newEnv(t)
	users := e.numbered("s", 25)
	for _, u := range users {
		ok, err := e.c.Chatrooms.AddSuperAdmin(e.ctx, u)
		require.NoError(t, err)
		assert.True(t, ok)
	}
	_, err := e.c.Chatrooms.AddSuperAdmin(e.ctx, "ghost")
	assert.Equal(t, "username ghost doesn't exist!", apiError(t, err, 404, "resource_not_found").Description)

	page, err := e.c.Chatrooms.ListSuperAdmins(e.ctx, chatrooms.PageParams{})
	require.NoError(t, err)
	assert.Equal(t, users[:10], page, "the server's page is 10")
	page, err = e.c.Chatrooms.ListSuperAdmins(e.ctx, chatrooms.PageParams{Page: 3, Size: 10})
	require.NoError(t, err)
	assert.Equal(t, users[20:], page)

	require.NoError(t, e.c.Chatrooms.RemoveSuperAdmin(e.ctx, "s3"))
	_ = apiError(t, e.c.Chatrooms.RemoveSuperAdmin(e.ctx, "s3"), 403, "forbidden_op", "no longer a super admin")
	_ = apiError(t, e.c.Chatrooms.RemoveSuperAdmin(e.ctx, "ghost"), 404, "resource_not_found")
	var all []string
	for u, err := range e.c.Chatrooms.AllSuperAdmins(e.ctx, chatrooms.PageParams{Size: 6}) {
		require.NoError(t, err)
		all = append(all, u)
	}
	assert.Equal(t, append(append([]string{}, users[:3]...), users[4:]...), all)
}
