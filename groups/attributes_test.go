package groups_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/groups"
)

func TestMemberAttributes(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "k", 30)
	id, err := srv.AddGroup(u[0], u[1:25]...)
	require.NoError(t, err)

	set, err := g.SetMemberAttributes(ctx, id, u[1], map[string]string{"role": "dev", "city": "bj"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "dev", "city": "bj"}, set)
	_, err = g.SetMemberAttributes(ctx, id, u[1], map[string]string{"city": ""})
	require.NoError(t, err)
	got, err := g.MemberAttributes(ctx, id, u[1])
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "dev"}, got, "an empty value deletes its key")

	_, err = g.MemberAttributes(ctx, id, u[26])
	status, code, desc := apiCode(t, err)
	assert.Equal(t, [3]string{"404", "metadata_error", "user not in group"}, [3]string{fmt.Sprint(status), code, desc})
	_, err = g.SetMemberAttributes(ctx, id, u[26], map[string]string{"a": "b"})
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "Some users are not in the group: "+u[26], desc)

	// 24 members: 20 + 4 calls.
	batchIn := make([]groups.MemberAttributes, 24)
	for i := range batchIn {
		batchIn[i] = groups.MemberAttributes{Username: u[i+1], Attributes: map[string]string{"n": fmt.Sprint(i)}}
	}
	res, err := g.SetMemberAttributesBatch(ctx, id, batchIn)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"n": "5"}, res.Items[5].Value)
	assert.Equal(t, 2, srv.Stats(easemob.GroupGroupsSetMemberAttributesBatch).Received)

	// 14 targets: 10 + 4 calls; u[26] is no member and is left out.
	targets := append(u[1:14], u[26])
	by, err := g.MembersAttributes(ctx, id, targets, []string{"n"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 13, be.Done)
	assert.Equal(t, map[string]string{"n": "0"}, by.Items[0].Value)
	assert.Equal(t, "not in the server's answer", by.Items[13].Reason)
	assert.Equal(t, 2, srv.Stats(easemob.GroupGroupsGetMembersAttributesByKeys).Received)
	all, err := g.MembersAttributes(ctx, id, u[1:2], nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"role": "dev", "n": "0"}, all.Items[0].Value, "no keys: all of them")

	// A member who leaves loses its attributes.
	_, err = g.RemoveMember(ctx, id, u[1])
	require.NoError(t, err)
	_, err = g.AddMember(ctx, id, u[1])
	require.NoError(t, err)
	got, err = g.MemberAttributes(ctx, id, u[1])
	require.NoError(t, err)
	assert.Empty(t, got)

	for name, attrs := range map[string]map[string]string{
		"empty":      {},
		"long key":   {strings.Repeat("k", 17): "v"},
		"long value": {"k": strings.Repeat("v", 513)},
		"too much": func() map[string]string {
			m := map[string]string{}
			for i := range 9 {
				m[fmt.Sprint("k", i)] = strings.Repeat("v", 500)
			}
			return m
		}(),
	} {
		_, err := g.SetMemberAttributes(ctx, id, u[2], attrs)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	_, err = g.SetMemberAttributesBatch(ctx, id, []groups.MemberAttributes{{Username: u[2], Attributes: map[string]string{"a": "1"}}, {Username: strings.ToUpper(u[2]), Attributes: map[string]string{"b": "2"}}})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "a member given twice")
	assert.Equal(t, 3, srv.Stats(easemob.GroupGroupsSetMemberAttributes).Received, "only the three calls above were sent")
}
