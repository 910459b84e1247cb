package chatrooms_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
)

func TestCreateGetUpdateDelete(t *testing.T) {
	e := newEnv(t)
	e.users("owner", "m1", "m2")
	id, err := e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "lobby", Description: "d", Owner: "owner",
		MaxUsers: 50, Members: []string{"m1", "M2"}, Custom: "x"})
	require.NoError(t, err)
	require.NotEmpty(t, id)

	res, err := e.c.Chatrooms.Get(e.ctx, []string{id})
	require.NoError(t, err)
	room := res.Items[0].Value
	assert.Equal(t, id, room.ID)
	assert.Equal(t, "lobby", room.Name)
	assert.Equal(t, "owner", room.Owner)
	assert.Equal(t, 50, room.MaxUsers)
	assert.Equal(t, "x", room.Custom)
	assert.Equal(t, 3, room.MemberCount, "the owner counts")
	assert.ElementsMatch(t, []chatrooms.Member{{Username: "owner", Owner: true}, {Username: "m1"}, {Username: "m2"}}, room.Members)
	assert.False(t, room.Created.IsZero())

	up, err := e.c.Chatrooms.Update(e.ctx, id, chatrooms.Changes{Name: "hall", MaxUsers: 80})
	require.NoError(t, err)
	assert.Equal(t, chatrooms.Updated{Name: true, MaxUsers: true}, *up, "only the fields sent")
	res, err = e.c.Chatrooms.Get(e.ctx, []string{id})
	require.NoError(t, err)
	assert.Equal(t, "hall", res.Items[0].Value.Name)
	assert.Equal(t, "d", res.Items[0].Value.Description, "left alone")
	assert.Equal(t, 80, res.Items[0].Value.MaxUsers)

	ok, err := e.c.Chatrooms.Delete(e.ctx, id)
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = e.c.Chatrooms.Get(e.ctx, []string{id})
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_ = apiError(t, err, http.StatusNotFound, "service_resource_not_found")
	_, err = e.c.Chatrooms.Delete(e.ctx, id)
	_ = apiError(t, err, http.StatusNotFound, "resource_not_found")
	joined, err := e.c.Chatrooms.ListJoinedByUser(e.ctx, "m1", chatrooms.PageParams{})
	require.NoError(t, err)
	assert.Empty(t, joined, "a dissolved room leaves its members' lists")
}

func TestCreateRules(t *testing.T) {
	e := newEnv(t)
	e.users("owner", "m1")
	_, err := e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "n", Owner: "ghost"})
	assert.Equal(t, "username ghost doesn't exist!", apiError(t, err, 404, "resource_not_found").Description)
	_, err = e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "n", Owner: "owner", Members: []string{"m1", "nobody"}})
	_ = apiError(t, err, 404, "resource_not_found")

	id, err := e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "n", Owner: "owner", RoomID: "custom42"})
	require.NoError(t, err)
	assert.Equal(t, "custom42", id)
	_, err = e.c.Chatrooms.Create(e.ctx, chatrooms.NewChatroom{Name: "n", Owner: "owner", RoomID: "custom42"})
	assert.Equal(t, "group ID custom42 already exists!", apiError(t, err, 400, "illegal_argument").Description)
}

// Bad input is refused before any request goes out.
func TestValidationSpendsNoQuota(t *testing.T) {
	e := newEnv(t)
	ctx, c := e.ctx, e.c.Chatrooms
	long := func(n int) string { return strings.Repeat("a", n) }
	ignore := func(_ any, err error) error { return err }
	for name, err := range map[string]error{
		"no name":        ignore(c.Create(ctx, chatrooms.NewChatroom{Owner: "o"})),
		"long name":      ignore(c.Create(ctx, chatrooms.NewChatroom{Name: long(129), Owner: "o"})),
		"long desc":      ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Description: long(513), Owner: "o"})),
		"bad owner":      ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "a b"})),
		"dup member":     ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o", Members: []string{"x", "X"}})),
		"too many":       ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o", MaxUsers: 1, Members: []string{"x", "y"}})),
		"room id":        ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o", RoomID: "Upper"})),
		"custom":         ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o", Custom: long(8<<10 + 1)})),
		"maxusers":       ignore(c.Create(ctx, chatrooms.NewChatroom{Name: "n", Owner: "o", MaxUsers: 10001})),
		"no change":      ignore(c.Update(ctx, "1", chatrooms.Changes{})),
		"path id":        ignore(c.Delete(ctx, "a/b")),
		"dot id":         ignore(c.GetAnnouncement(ctx, "..")),
		"announcement":   ignore(c.SetAnnouncement(ctx, "1", long(513))),
		"list limit":     ignore(c.List(ctx, chatrooms.ListParams{Limit: 1001})),
		"get ids":        ignore(c.Get(ctx, []string{"1", "2,3"})),
		"get dup":        ignore(c.Get(ctx, []string{"1", "1"})),
		"get none":       ignore(c.Get(ctx, nil)),
		"new owner":      ignore(c.TransferOwner(ctx, "1", "")),
		"batch name":     ignore(c.RemoveMembers(ctx, "1", []string{"ok", "x,y"})),
		"batch room":     ignore(c.BlockMembers(ctx, "a/b", []string{"ok"})),
		"add room":       ignore(c.AddMembers(ctx, "..", []string{"ok"})),
		"path user":      ignore(c.AddMember(ctx, "1", "a%2Fb")),
		"mute duration":  ignore(c.MuteMembers(ctx, "1", []string{"u"}, -2)),
		"tag":            ignore(c.MuteByTag(ctx, "1", long(33), 0)),
		"tags":           ignore(c.SetUserTags(ctx, "1", "u", names("t", 11))),
		"tag dup":        ignore(c.SetUserTags(ctx, "1", "u", []string{"a", "a"})),
		"attr key":       ignore(c.SetAttributes(ctx, "1", "u", map[string]string{"a b": "v"}, "")),
		"attr value":     ignore(c.SetAttributes(ctx, "1", "u", map[string]string{"k": long(4097)}, "")),
		"auto delete":    ignore(c.SetAttributes(ctx, "1", "u", map[string]string{"k": "v"}, "LATER")),
		"attr user":      ignore(c.DeleteAttributes(ctx, "1", "", []string{"k"})),
		"no keys":        ignore(c.DeleteAttributesForced(ctx, "1", "u", nil)),
		"get key":        ignore(c.GetAttributes(ctx, "1", []string{long(129)})),
		"super admin":    ignore(c.AddSuperAdmin(ctx, "a b")),
		"page size":      ignore(c.ListMembers(ctx, "1", chatrooms.PageParams{Size: 1001})),
		"new admin":      ignore(c.AddAdmin(ctx, "1", "")),
		"revoke":         c.RemoveSuperAdmin(ctx, ".."),
		"joined user":    ignore(c.ListJoinedByUser(ctx, "a b", chatrooms.PageParams{})),
		"unmute names":   ignore(c.UnmuteMembers(ctx, "1", nil)),
		"disallow names": ignore(c.DisallowMembers(ctx, "1", []string{"a", "A"})),
	} {
		var v *easemob.ValidationError
		assert.ErrorAs(t, err, &v, name)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, e.srv.TokenRequests(), "no request of any kind went out")
}

func TestGetSplitsAt100AndReportsEachRoom(t *testing.T) {
	e := newEnv(t)
	e.users("owner")
	var ids []string
	for range 120 {
		id, err := e.srv.AddChatroom("owner")
		require.NoError(t, err)
		ids = append(ids, id)
	}
	ids = append(ids[:60], append([]string{"999"}, ids[60:]...)...) // one unknown among them
	res, err := e.c.Chatrooms.Get(e.ctx, ids)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{120, 1}, [2]int{be.Done, be.Failed})
	for i, it := range res.Items {
		if i == 60 {
			assert.Equal(t, "failed: not in the server's answer", it.Status.String()+": "+it.Reason)
			continue
		}
		assert.Equal(t, it.Input, it.Value.ID, "input order kept")
	}
	assert.Equal(t, 2, e.srv.Stats(easemob.GroupChatroomsGet).Received, "100 + 21 IDs")
}

func TestListAndJoined(t *testing.T) {
	e := newEnv(t)
	e.users("a", "b")
	var ids []string
	for range 25 {
		id, err := e.srv.AddChatroom("a", "b")
		require.NoError(t, err)
		ids = append(ids, id)
	}
	page, err := e.c.Chatrooms.List(e.ctx, chatrooms.ListParams{Limit: 10})
	require.NoError(t, err)
	require.Len(t, page.Chatrooms, 10)
	assert.Equal(t, chatrooms.Summary{ID: ids[0], Name: "room-" + ids[0], Owner: "a", MemberCount: 2}, page.Chatrooms[0])
	require.NotEmpty(t, page.Cursor)
	next, err := e.c.Chatrooms.List(e.ctx, chatrooms.ListParams{Limit: 10, Cursor: page.Cursor})
	require.NoError(t, err)
	assert.Equal(t, ids[10], next.Chatrooms[0].ID)

	var all []string
	for s, err := range e.c.Chatrooms.All(e.ctx, chatrooms.ListParams{Limit: 7}) {
		require.NoError(t, err)
		all = append(all, s.ID)
	}
	assert.Equal(t, ids, all)

	joined, err := e.c.Chatrooms.ListJoinedByUser(e.ctx, "b", chatrooms.PageParams{Page: 3, Size: 10})
	require.NoError(t, err)
	require.Len(t, joined, 5)
	assert.Equal(t, chatrooms.Summary{ID: ids[20], Name: "room-" + ids[20]}, joined[0], "disabled is false")
	var walked []string
	for s, err := range e.c.Chatrooms.AllJoinedByUser(e.ctx, "a", chatrooms.PageParams{Size: 4}) {
		require.NoError(t, err)
		walked = append(walked, s.ID)
	}
	assert.Equal(t, ids, walked, "owned rooms count as joined")
	assert.Equal(t, 1+7, e.srv.Stats(easemob.GroupChatroomsListJoinedByUser).Received, "one page call, then 25 rooms in pages of 4: the seventh is short")
}

func TestTransferOwner(t *testing.T) {
	e := newEnv(t)
	id := e.room("old", "new")
	e.users("outsider")
	_, err := e.c.Chatrooms.TransferOwner(e.ctx, id, "old")
	assert.Equal(t, "new owner and old owner are the same", apiError(t, err, 403, "forbidden_op").Description)
	_, err = e.c.Chatrooms.TransferOwner(e.ctx, id, "ghost")
	_ = apiError(t, err, 404, "resource_not_found")

	ok, err := e.c.Chatrooms.TransferOwner(e.ctx, id, "new")
	require.NoError(t, err)
	assert.True(t, ok)
	res, err := e.c.Chatrooms.Get(e.ctx, []string{id})
	require.NoError(t, err)
	assert.Equal(t, "new", res.Items[0].Value.Owner)
	assert.ElementsMatch(t, []string{"new", "old"}, e.members(id), "the old owner stays a member")
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "new")
	_ = apiError(t, err, 400, "forbidden_op", "the new owner cannot be removed")
}

func TestAnnouncement(t *testing.T) {
	e := newEnv(t)
	id := e.room("o")
	text, err := e.c.Chatrooms.GetAnnouncement(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, text)
	ok, err := e.c.Chatrooms.SetAnnouncement(e.ctx, id, "公告")
	require.NoError(t, err)
	assert.True(t, ok)
	text, err = e.c.Chatrooms.GetAnnouncement(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "公告", text)
	_, err = e.c.Chatrooms.SetAnnouncement(e.ctx, "404", "x")
	assert.Equal(t, "grpID 404 does not exist!", apiError(t, err, 404, "resource_not_found").Description)
}
