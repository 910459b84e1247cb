package threads_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/emuclient"
	"github.com/emquota/easemob/threads"
)

func apiError(t *testing.T, err error) *easemob.Error {
	t.Helper()
	var e *easemob.Error
	require.ErrorAs(t, err, &e)
	return e
}

func TestCreateRenameDelete(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddGroupWithID("g1", "alice"))

	id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: "g1", Name: "plans", MessageID: "m1", Owner: "Alice"})
	require.NoError(t, err)
	require.NotEmpty(t, id)
	page, err := c.Threads.ListByUser(ctx, "alice", threads.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Threads, 1, "the owner joins its thread")
	th := page.Threads[0]
	assert.Equal(t, threads.Thread{ID: id, Name: "plans", Owner: "alice", MessageID: "m1", GroupID: "g1", Created: th.Created}, th)
	assert.False(t, th.Created.IsZero())

	name, err := c.Threads.Update(ctx, id, "new plans")
	require.NoError(t, err)
	assert.Equal(t, "new plans", name)
	page, err = c.Threads.ListByUserInGroup(ctx, "g1", "alice", threads.ListParams{})
	require.NoError(t, err)
	require.Len(t, page.Threads, 1)
	assert.Equal(t, "new plans", page.Threads[0].Name)

	_, err = c.Threads.Create(ctx, threads.NewThread{GroupID: "g1", Name: "again", MessageID: "m1", Owner: "alice"})
	e := apiError(t, err)
	assert.Equal(t, [3]any{403, "group_error", "msg already create thread.not allow to create."}, [3]any{e.StatusCode, e.Code, e.Description})
	assert.ErrorIs(t, err, easemob.ErrForbidden)

	_, err = c.Threads.Create(ctx, threads.NewThread{GroupID: "g1", Name: "x", MessageID: "m2", Owner: "ghost"})
	e = apiError(t, err)
	assert.Equal(t, [2]any{404, "user not in group."}, [2]any{e.StatusCode, e.Description})

	require.NoError(t, c.Threads.Delete(ctx, id))
	all, err := c.Threads.List(ctx, threads.ListParams{})
	require.NoError(t, err)
	assert.Empty(t, all.Threads)
	err = c.Threads.Delete(ctx, id)
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	assert.Equal(t, "thread not found.", apiError(t, err).Description)
	_, err = c.Threads.Update(ctx, id, "gone")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = c.Threads.Members(ctx, id, threads.MemberParams{})
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = c.Threads.AddMembers(ctx, id, []string{"bob"})
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}

func TestMembersSplitAt10AndPage(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, srv.AddUser("owner", "pw"))
	require.NoError(t, srv.AddGroupWithID("g1", "owner"))
	id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: "g1", Name: "t", MessageID: "m1", Owner: "owner"})
	require.NoError(t, err)

	users := emuclient.Names("u", 25)
	added, err := c.Threads.AddMembers(ctx, id, users)
	require.NoError(t, err)
	assert.Equal(t, 25, added.Count(batch.Done))
	assert.Equal(t, 3, srv.Stats(easemob.GroupThreadsAddMembers).Received, "10 + 10 + 5")

	first, err := c.Threads.Members(ctx, id, threads.MemberParams{Limit: 10})
	require.NoError(t, err)
	require.Len(t, first.Usernames, 10)
	assert.Equal(t, "owner", first.Usernames[0], "join order: the owner first")
	require.NotEmpty(t, first.Cursor)
	var all []string
	for u, err := range c.Threads.AllMembers(ctx, id, threads.MemberParams{Limit: 7}) {
		require.NoError(t, err)
		all = append(all, u)
	}
	assert.ElementsMatch(t, append([]string{"owner"}, users...), all, "every member once (the calls ran concurrently)")

	removed, err := c.Threads.RemoveMembers(ctx, id, []string{"u000", "stranger", "U001"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{2, 1}, [2]int{be.Done, be.Failed})
	assert.Equal(t, batch.Failed, removed.Items[1].Status)
	assert.Equal(t, "not removed: the server's result is false", removed.Items[1].Reason)
	assert.NoError(t, removed.Items[1].Err, "refused by the server user by user, not a failed call")
	rest, err := c.Threads.Members(ctx, id, threads.MemberParams{})
	require.NoError(t, err)
	assert.Len(t, rest.Usernames, 24)
	assert.NotContains(t, rest.Usernames, "u001")
}

func TestListsPageInBothOrders(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddGroupWithID("g1", "alice"))
	require.NoError(t, srv.AddGroupWithID("g2", "alice"))
	var ids []string
	for i := range 7 {
		group := "g1"
		if i%2 == 1 {
			group = "g2"
		}
		id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: group, Name: fmt.Sprint("t", i), MessageID: fmt.Sprint("m", i), Owner: "alice"})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	collect := func(seq func(func(threads.Thread, error) bool)) []string {
		var out []string
		for th, err := range seq {
			require.NoError(t, err)
			out = append(out, th.ID)
		}
		return out
	}
	newest := slices.Clone(ids)
	slices.Reverse(newest)
	assert.Equal(t, newest, collect(c.Threads.All(ctx, threads.ListParams{Limit: 3})), "newest first by default")
	assert.Equal(t, ids, collect(c.Threads.All(ctx, threads.ListParams{Limit: 3, Sort: threads.Asc})))
	assert.Equal(t, newest, collect(c.Threads.AllByUser(ctx, "alice", threads.ListParams{Limit: 2})))
	inG1 := []string{ids[0], ids[2], ids[4], ids[6]}
	assert.Equal(t, inG1, collect(c.Threads.AllByUserInGroup(ctx, "g1", "alice", threads.ListParams{Limit: 2, Sort: threads.Asc})))

	// The per-group list gives a cursor on its last page; the next is empty.
	last, err := c.Threads.ListByUserInGroup(ctx, "g1", "alice", threads.ListParams{Limit: 4})
	require.NoError(t, err)
	assert.Len(t, last.Threads, 4)
	require.NotEmpty(t, last.Cursor)
	after, err := c.Threads.ListByUserInGroup(ctx, "g1", "alice", threads.ListParams{Limit: 4, Cursor: last.Cursor})
	require.NoError(t, err)
	assert.Empty(t, after.Threads)
	whole, err := c.Threads.List(ctx, threads.ListParams{Limit: 7})
	require.NoError(t, err)
	assert.Empty(t, whole.Cursor, "the app-wide list's last page has none")
}

// A deleted user leaves its threads.
func TestDeletedUserLeavesThreads(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	require.NoError(t, srv.AddUser("alice", "pw"))
	require.NoError(t, srv.AddUser("bob", "pw"))
	require.NoError(t, srv.AddGroupWithID("g1", "alice", "bob"))
	id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: "g1", Name: "t", MessageID: "m1", Owner: "alice"})
	require.NoError(t, err)
	_, err = c.Threads.AddMembers(ctx, id, []string{"bob"})
	require.NoError(t, err)
	_, err = c.Users.Delete(ctx, "bob")
	require.NoError(t, err)
	members, err := c.Threads.Members(ctx, id, threads.MemberParams{})
	require.NoError(t, err)
	assert.Equal(t, []string{"alice"}, members.Usernames)
	page, err := c.Threads.ListByUser(ctx, "bob", threads.ListParams{})
	require.NoError(t, err)
	assert.Empty(t, page.Threads)
}

func TestValidationSpendsNoQuota(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	ok := threads.NewThread{GroupID: "g", Name: "n", MessageID: "m", Owner: "alice"}
	with := func(edit func(*threads.NewThread)) error {
		nt := ok
		edit(&nt)
		_, err := c.Threads.Create(ctx, nt)
		return err
	}
	errs := map[string]error{
		"long name":  with(func(nt *threads.NewThread) { nt.Name = strings.Repeat("名", 65) }),
		"no name":    with(func(nt *threads.NewThread) { nt.Name = "" }),
		"no group":   with(func(nt *threads.NewThread) { nt.GroupID = "" }),
		"no message": with(func(nt *threads.NewThread) { nt.MessageID = "" }),
		"bad owner":  with(func(nt *threads.NewThread) { nt.Owner = "a b" }),
		"rename":     func() error { _, err := c.Threads.Update(ctx, "1", strings.Repeat("x", 65)); return err }(),
		"limit":      func() error { _, err := c.Threads.List(ctx, threads.ListParams{Limit: 51}); return err }(),
		"sort":       func() error { _, err := c.Threads.List(ctx, threads.ListParams{Sort: "up"}); return err }(),
		"thread id":  c.Threads.Delete(ctx, "a/b"),
		"no users":   func() error { _, err := c.Threads.AddMembers(ctx, "1", nil); return err }(),
		"dup users":  func() error { _, err := c.Threads.RemoveMembers(ctx, "1", []string{"a", "A"}); return err }(),
		"bad member": func() error { _, err := c.Threads.AddMembers(ctx, "a/b", []string{"a"}); return err }(),
		"page limit": func() error { _, err := c.Threads.Members(ctx, "1", threads.MemberParams{Limit: 51}); return err }(),
	}
	for name, err := range errs {
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
}
