package easemobtest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
)

// chatroomCall is one raw call on the emulator.
type chatroomCall struct {
	op           *catalog.Op
	method, path string
	body         any
}

// Every chatroom op answers with at least the fields of its documented
// example: at the top, and in data (an object, or the items of a list,
// their keys taken together). Data keyed by the caller's own names
// (attributes, tags) is compared only at the top.
func TestChatroomAnswersCarryTheDocumentedFields(t *testing.T) {
	srv := easemobtest.NewServer(t)
	for _, u := range []string{"o", "user1", "user2", "user3", "user4", "u10"} {
		require.NoError(t, srv.AddUser(u, "pw"))
	}
	c := newClient(t, srv)
	r := "/chatrooms/r1"
	meta := "/metadata/chatroom/r1/user/user1"
	calls := []chatroomCall{
		{catalog.ChatroomsCreate, "POST", "/chatrooms", map[string]any{"name": "n", "description": "d", "owner": "o",
			"members": []string{"user1", "user2", "user3", "u10"}, "roomid": "r1"}},
		{catalog.ChatroomsList, "GET", "/chatrooms?limit=10", nil},
		{catalog.ChatroomsListJoinedByUser, "GET", "/users/user1/joined_chatrooms?pagenum=1&pagesize=10", nil},
		{catalog.ChatroomsGet, "GET", r, nil},
		{catalog.ChatroomsUpdate, "PUT", r, map[string]any{"name": "n2", "description": "d2", "maxusers": 300}},
		{catalog.ChatroomsSetAnnouncement, "POST", r + "/announcement", map[string]any{"announcement": "a"}},
		{catalog.ChatroomsGetAnnouncement, "GET", r + "/announcement", nil},
		{catalog.ChatroomsSetAttributes, "PUT", meta, map[string]any{"metaData": map[string]string{"k": "v", "bad key": "v"}}},
		{catalog.ChatroomsSetAttributesForced, "PUT", meta + "/forced", map[string]any{"metaData": map[string]string{"k": "v", "bad key": "v"}}},
		{catalog.ChatroomsGetAttributes, "POST", "/metadata/chatroom/r1", map[string]any{"keys": []string{"k"}}},
		{catalog.ChatroomsDeleteAttributes, "DELETE", meta, map[string]any{"keys": []string{"k", "none"}}},
		{catalog.ChatroomsDeleteAttributesForced, "DELETE", meta + "/forced", map[string]any{"keys": []string{"none"}}},
		{catalog.ChatroomsListMembers, "GET", r + "/users?pagenum=1&pagesize=2", nil},
		{catalog.ChatroomsAddMember, "POST", r + "/users/user4", nil},
		{catalog.ChatroomsAddMembers, "POST", r + "/users", map[string]any{"usernames": []string{"user4"}}},
		{catalog.ChatroomsRemoveMember, "DELETE", r + "/users/user4", nil},
		{catalog.ChatroomsRemoveMembers, "DELETE", r + "/users/user3,user4", nil},
		{catalog.ChatroomsAddAdmin, "POST", r + "/admin", map[string]any{"newadmin": "user1"}},
		{catalog.ChatroomsListAdmins, "GET", r + "/admin", nil},
		{catalog.ChatroomsRemoveAdmin, "DELETE", r + "/admin/user1", nil},
		{catalog.ChatroomsBlockMember, "POST", r + "/blocks/users/user2", nil},
		{catalog.ChatroomsListBlocked, "GET", r + "/blocks/users", nil},
		{catalog.ChatroomsBlockMembers, "POST", r + "/blocks/users", map[string]any{"usernames": []string{"user1", "user4"}}},
		{catalog.ChatroomsUnblockMember, "DELETE", r + "/blocks/users/user2", nil},
		{catalog.ChatroomsUnblockMembers, "DELETE", r + "/blocks/users/user1,user4", nil},
		{catalog.ChatroomsAddMember, "POST", r + "/users/user1", nil},
		{catalog.ChatroomsAllowMember, "POST", r + "/white/users/user1", nil},
		{catalog.ChatroomsAllowMembers, "POST", r + "/white/users", map[string]any{"usernames": []string{"u10", "user4"}}},
		{catalog.ChatroomsListAllowlist, "GET", r + "/white/users", nil},
		{catalog.ChatroomsDisallowMembers, "DELETE", r + "/white/users/user1", nil},
		{catalog.ChatroomsMuteMembers, "POST", r + "/mute", map[string]any{"usernames": []string{"user1", "user4"}, "mute_duration": 60000}},
		{catalog.ChatroomsListMuted, "GET", r + "/mute", nil},
		{catalog.ChatroomsUnmuteMembers, "DELETE", r + "/mute/user1", nil},
		{catalog.ChatroomsMuteAll, "POST", r + "/ban", nil},
		{catalog.ChatroomsUnmuteAll, "DELETE", r + "/ban", nil},
		{catalog.ChatroomsAddSuperAdmin, "POST", "/chatrooms/super_admin", map[string]any{"superadmin": "user1"}},
		{catalog.ChatroomsListSuperAdmins, "GET", "/chatrooms/super_admin?pagenum=1&pagesize=2", nil},
		{catalog.ChatroomsRemoveSuperAdmin, "DELETE", "/chatrooms/super_admin/user1", nil},
		{catalog.ChatroomsSetUserTags, "PUT", r + "/users/u10/tag", map[string]any{"tags": []string{"t2"}}},
		{catalog.ChatroomsMuteByTag, "PUT", r + "/tag/mute", map[string]any{"tag": "t2", "mute_duration": 60}},
		{catalog.ChatroomsGetUserTags, "GET", r + "/users/u10/tag", nil},
		{catalog.ChatroomsTransferOwner, "PUT", r, map[string]any{"newowner": "user1"}},
		{catalog.ChatroomsDelete, "DELETE", r, nil},
	}
	dynamicData := map[*catalog.Op]bool{catalog.ChatroomsGetAttributes: true, catalog.ChatroomsGetUserTags: true}
	covered := map[string]bool{}
	for _, cl := range calls {
		covered[cl.op.ID] = true
		status, body := c.call(cl.method, cl.path, cl.body)
		require.Equal(t, http.StatusOK, status, "%s: %v", cl.op.ID, body)
		assert.Equal(t, cl.op.ID, srvLastOp(srv, cl.op), "routed to its op")
		var example map[string]any
		require.NoError(t, json.Unmarshal([]byte(cl.op.Example), &example), cl.op.ID)
		assert.Subset(t, keys(body), keys(example), "%s: top-level fields", cl.op.ID)
		if !dynamicData[cl.op] {
			assert.Subset(t, dataKeys(body["data"]), dataKeys(example["data"]), "%s: data fields", cl.op.ID)
		}
	}
	for _, op := range catalog.Ops {
		if strings.HasPrefix(op.ID, "chatrooms.") {
			assert.True(t, covered[op.ID], "%s has no call here", op.ID)
		}
	}
}

// srvLastOp names op when the emulator counted a request of it.
func srvLastOp(srv *easemobtest.Server, op *catalog.Op) string {
	if srv.OpStats(op.ID).Received > 0 {
		return op.ID
	}
	return "nothing"
}

// dataKeys are an object's keys, or the keys of a list's objects together.
func dataKeys(v any) []string {
	switch x := v.(type) {
	case map[string]any:
		return keys(x)
	case []any:
		set := map[string]any{}
		for _, it := range x {
			if m, ok := it.(map[string]any); ok {
				for k := range m {
					set[k] = true
				}
			}
		}
		return keys(set)
	}
	return nil
}

// The chatroom calls' own refusals, in the server's words, for input the
// SDK would not send.
func TestChatroomRefusalsInTheServersWords(t *testing.T) {
	srv := easemobtest.NewServer(t)
	for _, u := range []string{"o", "a"} {
		require.NoError(t, srv.AddUser(u, "pw"))
	}
	id, err := srv.AddChatroom("o", "a")
	require.NoError(t, err)
	c := newClient(t, srv)
	r := "/chatrooms/" + id
	many := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "u" + strconv.Itoa(i)
		}
		return out
	}
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		code, desc   string
	}{
		{"POST", "/chatrooms", map[string]any{"description": "d", "owner": "o"}, 400, "invalid_parameter", "name must be provided"},
		{"POST", "/chatrooms", map[string]any{"name": strings.Repeat("n", 129), "description": "d", "owner": "o"}, 403, "exceed_limit", "title cannot exceed to 128"},
		{"POST", "/chatrooms", map[string]any{"name": "n", "description": "d", "owner": "o", "maxusers": 1, "members": []string{"a", "b"}}, 403, "exceed_limit", "members size is greater than max user size !"},
		{"PUT", r, map[string]any{"name": "n", "owner": "a"}, 400, "invalid_parameter", "some of [owner] are not valid fields"},
		{"PUT", r, map[string]any{"description": strings.Repeat("d", 513)}, 403, "exceed_limit", "desc cannot exceed to 512"},
		{"PUT", r, map[string]any{"maxusers": 10001}, 403, "exceed_limit", "maxUsers cannot exceed 10000"},
		{"POST", r + "/announcement", map[string]any{"announcement": strings.Repeat("a", 513)}, 403, "forbidden_op", "announce info length exceeds limit!"},
		{"POST", r + "/users", map[string]any{"usernames": many(101)}, 400, "invalid_parameter", "addMembers: addMembers number more than maxSize : 100"},
		{"POST", r + "/blocks/users", map[string]any{"usernames": many(61)}, 400, "invalid_parameter", "userNames is more than max limit : 60"},
		{"POST", r + "/white/users", map[string]any{"usernames": many(61)}, 400, "invalid_parameter", "usernames size is more than max limit : 60"},
		{"POST", r + "/mute", map[string]any{"usernames": many(101), "mute_duration": 1}, 400, "invalid_parameter", "userNames size is more than max limit : 100"},
		{"DELETE", r + "/users/" + strings.Join(many(61), ","), nil, 400, "illegal_argument", "usernames: 61 values, at most 60 allowed"},
		{"PUT", "/metadata/chatroom/" + id + "/user/a", map[string]any{"metaData": attrMap(11)}, 400, "", "exceed allowed batch size 10"},
		{"DELETE", "/metadata/chatroom/" + id + "/user/a/forced", map[string]any{"keys": many(11)}, 400, "", "exceed allowed batch size 10"},
		{"PUT", "/metadata/chatroom/" + id + "/user/o", map[string]any{"metaData": map[string]string{"k": "v"}}, 200, "", ""},
		{"PUT", "/metadata/chatroom/" + id + "/user/a", map[string]any{"metaData": map[string]string{"k": "w"}}, 400, "", "others are not allowed to be set"},
		{"PUT", r + "/users/a/tag", map[string]any{"tags": "x"}, 400, "invalid_parameter", "tags should be type of List"},
		{"PUT", r + "/users/a/tag", map[string]any{"tags": many(11)}, 403, "exceed_limit", "user group tag count exceed limit"},
		{"PUT", r + "/users/a/tag", map[string]any{"tags": []string{strings.Repeat("t", 33)}}, 403, "exceed_limit", "tag length exceeds limit!"},
		{"PUT", r + "/tag/mute", map[string]any{"tag": strings.Repeat("t", 33), "mute_duration": 1}, 403, "exceed_limit", "tag length exceeds limit!"},
		{"GET", "/chatrooms/nope", nil, 404, "service_resource_not_found", "do not find this group:nope"},
		{"GET", "/chatrooms/nope/users", nil, 404, "service_resource_not_found", "do not find this group:nope"},
		{"GET", "/chatrooms/nope/admin", nil, 404, "resource_not_found", "grpID nope does not exist!"},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		if tc.status == http.StatusOK {
			require.Equal(t, http.StatusOK, status, body)
			continue
		}
		assertError(t, status, body, tc.status, tc.code, tc.desc)
	}

	// A key too long is refused alone, in the page's words, with 200.
	status, body := c.call("PUT", "/metadata/chatroom/"+id+"/user/a", map[string]any{"metaData": map[string]string{strings.Repeat("k", 129): "v", "ok": "v"}})
	require.Equal(t, http.StatusOK, status)
	assertKeys(t, body, "uri", "timestamp", "action", "data")
	data := body["data"].(map[string]any)
	assert.Equal(t, []any{"ok"}, data["successKeys"])
	assert.Equal(t, map[string]any{strings.Repeat("k", 129): "properties key '" + strings.Repeat("k", 129) + "' is exceeding maximum limit 128"}, data["errorKeys"])
	status, body = c.call("DELETE", "/metadata/chatroom/"+id+"/user/a", map[string]any{"keys": []string{"ok"}})
	require.Equal(t, http.StatusOK, status)
	assertKeys(t, body, "uri", "status", "timestamp", "action", "data")
	assert.Equal(t, "ok", body["status"])
}

func attrMap(n int) map[string]string {
	out := map[string]string{}
	for i := range n {
		out["k"+strconv.Itoa(i)] = "v"
	}
	return out
}

// Without paging, the rooms a user joined are its newest 500.
func TestJoinedWithoutPagingIsTheNewest500(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("u", "pw"))
	var ids []string
	for range 502 {
		id, err := srv.AddChatroom("u")
		require.NoError(t, err)
		ids = append(ids, id)
	}
	c := newClient(t, srv)
	status, body := c.call("GET", "/users/u/joined_chatrooms", nil)
	require.Equal(t, http.StatusOK, status)
	data := body["data"].([]any)
	require.Len(t, data, 500)
	assert.Equal(t, ids[2], data[0].(map[string]any)["id"])
	assert.Equal(t, "false", data[0].(map[string]any)["disabled"], "a string, as documented")
	status, body = c.call("GET", "/users/u/joined_chatrooms?pagesize=1000", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, body["data"].([]any), 502)
}
