package groups_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/emutest"
)

// newClient starts an emulator and a client with a registry of its own, so
// tests do not share budgets.
func newClient(t testing.TB, opts ...easemobtest.Option) (*groups.Service, *easemobtest.Server) {
	c, srv := emutest.NewClient(t, opts...)
	return c.Groups, srv
}

// users registers n users named prefix000... and returns their names.
func users(t testing.TB, srv *easemobtest.Server, prefix string, n int) []string {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s%03d", prefix, i)
		require.NoError(t, srv.AddUser(names[i], "pw"))
	}
	return names
}

// apiCode returns the status and code of a server error.
func apiCode(t *testing.T, err error) (int, string, string) {
	t.Helper()
	var e *easemob.Error
	require.ErrorAs(t, err, &e)
	return e.StatusCode, e.Code, e.Description
}

func TestCreateGetUpdateDelete(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "c", 3)

	id, err := g.Create(ctx, groups.NewGroup{Name: "team", Description: "d", Public: true, AllowInvites: true,
		Owner: u[0], Members: u[1:], Custom: "x"})
	require.NoError(t, err)
	require.NotEmpty(t, id)

	res, err := g.Get(ctx, []string{id})
	require.NoError(t, err)
	d := res.Items[0].Value
	assert.Equal(t, "team", d.Name)
	assert.Equal(t, u[0], d.Owner)
	assert.True(t, d.Public)
	assert.False(t, d.AllowInvites, "ignored on creation of a public group")
	assert.Equal(t, 200, d.MaxUsers, "the default")
	assert.Equal(t, 3, d.MemberCount)
	assert.Equal(t, []groups.Member{{Username: u[0], Role: groups.Owner}, {Username: u[1], Role: groups.Plain}, {Username: u[2], Role: groups.Plain}}, d.Members)

	changed, err := g.Update(ctx, id, groups.Changes{Name: ptr("renamed"), MaxUsers: ptr(2), AllowInvites: ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"groupname": true, "maxusers": false, "allowinvites": true}, changed,
		"a bound below the member count is not applied")
	res, err = g.Get(ctx, []string{id})
	require.NoError(t, err)
	assert.Equal(t, "renamed", res.Items[0].Value.Name)
	assert.True(t, res.Items[0].Value.AllowInvites)
	assert.Equal(t, 200, res.Items[0].Value.MaxUsers)

	ok, err := g.Delete(ctx, id)
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = g.Get(ctx, []string{id})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = g.Delete(ctx, id)
	status, code, desc := apiCode(t, err)
	assert.Equal(t, [3]string{"404", "resource_not_found", "grpID " + id + " does not exist!"}, [3]string{fmt.Sprint(status), code, desc})
}

func TestCreateRules(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "r", 3)

	_, err := g.Create(ctx, groups.NewGroup{Public: false, Owner: "ghost"})
	_, code, desc := apiCode(t, err)
	assert.Equal(t, "resource_not_found", code)
	assert.Equal(t, "username ghost doesn't exist!", desc)

	id, err := g.Create(ctx, groups.NewGroup{ID: "myteam1", Owner: u[0]})
	require.NoError(t, err)
	assert.Equal(t, "myteam1", id, "a custom group ID is kept")
	_, err = g.Create(ctx, groups.NewGroup{ID: "myteam1", Owner: u[0]})
	status, code, desc := apiCode(t, err)
	assert.Equal(t, 400, status)
	assert.Equal(t, "illegal_argument", code)
	assert.Equal(t, "group ID myteam1 already exists!", desc)

	// Refused before any quota is spent.
	for name, ng := range map[string]groups.NewGroup{
		"no owner":        {},
		"upper-case id":   {ID: "Team", Owner: u[0]},
		"owner as member": {Owner: u[0], Members: []string{strings.ToUpper(u[0])}},
		"too many":        {Owner: u[0], MaxUsers: 2, Members: u[1:]},
		"long name":       {Owner: u[0], Name: strings.Repeat("名", 129)},
	} {
		_, err := g.Create(ctx, ng)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Equal(t, 3, srv.Stats(easemob.GroupGroupsCreate).Received, "only the calls above reached the server")
}

func TestListIteratesNewestFirst(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "l", 2)
	var ids []string
	for range 25 {
		id, err := srv.AddGroup(u[0], u[1])
		require.NoError(t, err)
		ids = append(ids, id)
	}
	page, err := g.List(ctx, groups.ListParams{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Groups, 10)
	assert.Equal(t, ids[24], page.Groups[0].ID, "newest first")
	assert.Equal(t, u[0], page.Groups[0].Owner)
	assert.Equal(t, srv.AppKey+"_"+u[0], page.Groups[0].QualifiedOwner)
	assert.Equal(t, 2, page.Groups[0].Members)
	assert.False(t, page.Groups[0].Modified.IsZero())
	require.NotEmpty(t, page.Cursor)

	var seen []string
	for grp, err := range g.All(ctx, groups.ListParams{Limit: 7}) {
		require.NoError(t, err)
		seen = append(seen, grp.ID)
	}
	assert.Len(t, seen, 25)
	assert.ElementsMatch(t, ids, seen)
}

func TestJoinedListsAndIsMember(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "j", 2)
	var ids []string
	for range 12 {
		id, err := srv.AddGroup(u[0], u[1])
		require.NoError(t, err)
		ids = append(ids, id)
	}
	page, err := g.ListJoined(ctx, u[1], groups.JoinedParams{})
	require.NoError(t, err)
	assert.Len(t, page.Groups, 5, "the default page size")
	assert.Equal(t, 12, page.Total)
	assert.Equal(t, ids[0], page.Groups[0].ID, "page 0 is the first")
	assert.Equal(t, u[0], page.Groups[0].Owner)

	var all []string
	for grp, err := range g.AllJoined(ctx, u[1], groups.JoinedParams{PageSize: 5}) {
		require.NoError(t, err)
		all = append(all, grp.ID)
	}
	assert.Equal(t, ids, all)

	legacy, err := g.ListJoinedLegacy(ctx, u[0], groups.JoinedParams{PageNum: 2, PageSize: 10})
	require.NoError(t, err)
	assert.Equal(t, []groups.GroupRef{{ID: ids[10]}, {ID: ids[11]}}, legacy, "pages of the old path start at 1")
	legacy, err = g.ListJoinedLegacy(ctx, u[0], groups.JoinedParams{})
	require.NoError(t, err)
	assert.Len(t, legacy, 12)
	assert.Equal(t, ids[11], legacy[0].ID, "without paging: newest join first")

	in, err := g.IsMember(ctx, ids[0], u[1])
	require.NoError(t, err)
	assert.True(t, in)
	require.NoError(t, srv.AddUser("outsider", "pw"))
	in, err = g.IsMember(ctx, ids[0], "outsider")
	require.NoError(t, err)
	assert.False(t, in)

	empty, err := g.ListJoined(ctx, "nobody", groups.JoinedParams{})
	require.NoError(t, err)
	assert.Empty(t, empty.Groups)
	assert.Zero(t, empty.Total)
}

func TestGetSplitsAt100AndReportsMissingGroups(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "d", 1)
	ids := make([]string, 0, 230)
	for i := range 230 {
		if i%50 == 7 {
			ids = append(ids, fmt.Sprintf("9999%03d", i)) // never created
			continue
		}
		id, err := srv.AddGroup(u[0])
		require.NoError(t, err)
		ids = append(ids, id)
	}
	res, err := g.Get(ctx, ids)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 5, be.Failed)
	assert.Equal(t, 225, be.Done)
	assert.Equal(t, 3, srv.Stats(easemob.GroupGroupsGet).Received, "100 + 100 + 30")
	for i, it := range res.Items {
		assert.Equal(t, ids[i], it.Input)
		if i%50 == 7 {
			assert.Equal(t, batch.Failed, it.Status)
			assert.Equal(t, "not in the server's answer", it.Reason)
		} else {
			assert.Equal(t, ids[i], it.Value.ID)
		}
	}

	_, err = g.Get(ctx, []string{"a/b"})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "an id that would change the path")
	_, err = g.Get(ctx, []string{ids[0], "x,y"})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "a comma would split the id")
	assert.Equal(t, 3, srv.Stats(easemob.GroupGroupsGet).Received, "refused before any quota")
}

func TestTransferDisableAnnouncement(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "t", 3)
	id, err := srv.AddGroup(u[0], u[1])
	require.NoError(t, err)

	_, err = g.TransferOwner(ctx, id, u[0])
	_, code, desc := apiCode(t, err)
	assert.Equal(t, "forbidden_op", code)
	assert.Equal(t, "new owner and old owner are the same", desc)
	_, err = g.TransferOwner(ctx, id, u[2])
	_, _, desc = apiCode(t, err)
	assert.Equal(t, "user: "+u[2]+" doesn't exist in group: "+id, desc)

	ok, err := g.TransferOwner(ctx, id, u[1])
	require.NoError(t, err)
	assert.True(t, ok)
	res, err := g.Get(ctx, []string{id})
	require.NoError(t, err)
	assert.Equal(t, u[1], res.Items[0].Value.Owner)
	in, err := g.IsMember(ctx, id, u[0])
	require.NoError(t, err)
	assert.True(t, in, "the old owner stays a member")

	require.NoError(t, g.Disable(ctx, id))
	res, _ = g.Get(ctx, []string{id})
	assert.True(t, res.Items[0].Value.Disabled)
	require.NoError(t, g.Enable(ctx, id))
	res, _ = g.Get(ctx, []string{id})
	assert.False(t, res.Items[0].Value.Disabled)

	text, err := g.Announcement(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, text)
	ok, err = g.SetAnnouncement(ctx, id, "公告: meeting at 10")
	require.NoError(t, err)
	assert.True(t, ok)
	text, err = g.Announcement(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "公告: meeting at 10", text)
	_, err = g.SetAnnouncement(ctx, id, strings.Repeat("a", 513))
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
	assert.Equal(t, 1, srv.Stats(easemob.GroupGroupsSetAnnouncement).Received)

	_, err = g.Announcement(ctx, "404404")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}

func TestDeletingAUserLeavesAndDissolvesItsGroups(t *testing.T) {
	c, srv := emutest.NewClient(t)
	svc := c.Groups
	ctx := context.Background()
	u := users(t, srv, "x", 3)
	owned, err := srv.AddGroup(u[0], u[1], u[2])
	require.NoError(t, err)
	joined, err := srv.AddGroup(u[1], u[0], u[2])
	require.NoError(t, err)
	_, err = svc.AddAdmin(ctx, joined, u[0])
	require.NoError(t, err)
	_, err = svc.MuteMembers(ctx, joined, []string{u[0]}, groups.MuteForever)
	require.NoError(t, err)

	_, err = c.Users.Delete(ctx, u[0])
	require.NoError(t, err)

	res, err := svc.Get(ctx, []string{owned, joined})
	require.Error(t, err)
	assert.Equal(t, batch.Failed, res.Items[0].Status, "the group it owned is dissolved")
	assert.Equal(t, batch.Done, res.Items[1].Status)
	assert.Equal(t, 2, res.Items[1].Value.MemberCount, "it left the other")
	admins, err := svc.Admins(ctx, joined)
	require.NoError(t, err)
	assert.Empty(t, admins)
	muted, err := svc.Muted(ctx, joined)
	require.NoError(t, err)
	assert.Empty(t, muted)
	page, err := svc.ListJoined(ctx, u[2], groups.JoinedParams{})
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total)
}

// withClock makes the emulator read the time from *now.
func withClock(now *time.Time) easemobtest.Option {
	return easemobtest.WithClock(func() time.Time { return *now })
}

// Bad input is refused before any request, token fetch included.
func TestValidationSpendsNoQuota(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	cases := map[string]error{
		"slash in name":   func() error { _, err := g.AddMember(ctx, "1", "a/b"); return err }(),
		"dot-dot group":   func() error { _, err := g.IsMember(ctx, "..", "a"); return err }(),
		"file id":         g.DownloadSharedFile(ctx, "1", "x/../y", io.Discard),
		"comma in a name": func() error { _, err := g.UnblockMembers(ctx, "1", []string{"a", "b,c"}); return err }(),
		"percent":         func() error { _, err := g.RemoveMember(ctx, "1%2F2", "a"); return err }(),
		"page size":       func() error { _, err := g.Members(ctx, "1", groups.MembersParams{PageSize: 1001}); return err }(),
		"joined size":     func() error { _, err := g.ListJoined(ctx, "a", groups.JoinedParams{PageSize: 21}); return err }(),
		"list limit":      func() error { _, err := g.List(ctx, groups.ListParams{Limit: 1001}); return err }(),
		"empty batch":     func() error { _, err := g.AddMembers(ctx, "1", nil); return err }(),
		"bad group id":    func() error { _, err := g.BlockMembers(ctx, "a/b", []string{"a"}); return err }(),
		"empty changes":   func() error { _, err := g.Update(ctx, "1", groups.Changes{}); return err }(),
		"no file name":    func() error { _, err := g.UploadSharedFile(ctx, "1", "", strings.NewReader("x")); return err }(),
		"attr key":        func() error { _, err := g.MembersAttributes(ctx, "1", []string{"a"}, []string{""}); return err }(),
		"dup names":       func() error { _, err := g.MuteMembers(ctx, "1", []string{"a", "A"}, time.Second); return err }(),
	}
	for name, err := range cases {
		var v *easemob.ValidationError
		assert.ErrorAs(t, err, &v, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
}
