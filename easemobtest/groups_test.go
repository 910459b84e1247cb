package easemobtest_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
)

// Every group answer has the top-level fields of the op's documented
// example, and its data the example's fields (per-user items: no field
// the example's items lack).
func TestGroupAnswersHaveTheDocumentedShape(t *testing.T) {
	srv := easemobtest.NewServer(t)
	for _, u := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		require.NoError(t, srv.AddUser(u, "pw"))
	}
	gid, err := srv.AddGroup("alice", "bob", "carol", "dave")
	require.NoError(t, err)
	c := newClient(t, srv)
	g := "/chatgroups/" + gid
	md := "/metadata/chatgroup/" + gid

	// A file to list, download and delete.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "a.txt")
	require.NoError(t, err)
	_, _ = fw.Write([]byte("hello"))
	require.NoError(t, mw.Close())
	req := c.request("POST", g+"/share_files", buf.String())
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, up := c.do(req)
	require.Equal(t, http.StatusOK, status, up)
	shape(t, catalog.GroupsUploadSharedFile, up)
	fileID := up["data"].(map[string]any)["file_id"].(string)

	// Data keys that are the caller's (fields sent, attribute keys, users).
	callerKeys := []*catalog.Op{catalog.GroupsUpdate, catalog.GroupsSetMemberAttributes,
		catalog.GroupsGetMemberAttributes, catalog.GroupsGetMembersAttributesByKeys}
	for _, cl := range []struct {
		op           *catalog.Op
		method, path string
		body         any
	}{

		{catalog.GroupsListJoinedByUser, "GET", "/chatgroups/user/bob", nil},
		{catalog.GroupsListJoinedByUserLegacy, "GET", "/users/bob/joined_chatgroups?pagesize=1&pagenum=1", nil},
		{catalog.GroupsIsMember, "GET", g + "/user/bob/is_joined", nil},
		{catalog.GroupsGet, "GET", g, nil},
		{catalog.GroupsCreate, "POST", "/chatgroups", map[string]any{"owner": "erin", "public": true}},
		{catalog.GroupsList, "GET", "/chatgroups?limit=1", nil}, // of two groups: a cursor
		{catalog.GroupsUpdate, "PUT", g, map[string]any{"groupname": "x", "maxusers": 300}},
		{catalog.GroupsSetAnnouncement, "POST", g + "/announcement", map[string]any{"announcement": "hi"}},
		{catalog.GroupsGetAnnouncement, "GET", g + "/announcement", nil},
		{catalog.GroupsListSharedFiles, "GET", g + "/share_files?pagenum=1&pagesize=10", nil},
		{catalog.GroupsDeleteSharedFile, "DELETE", g + "/share_files/" + fileID, nil},
		{catalog.GroupsDisable, "POST", g + "/disable", nil},
		{catalog.GroupsEnable, "POST", g + "/enable", nil},
		{catalog.GroupsListMembers, "GET", g + "/users?pagenum=1&pagesize=2", nil},
		{catalog.GroupsAddMember, "POST", g + "/users/erin", nil},
		{catalog.GroupsAddMembers, "POST", g + "/users", map[string]any{"usernames": []string{"frank"}}},
		{catalog.GroupsRemoveMember, "DELETE", g + "/users/erin", nil},
		{catalog.GroupsRemoveMembers, "DELETE", g + "/users/frank,erin", nil},
		{catalog.GroupsSetMemberAttributes, "PUT", md + "/user/bob", map[string]any{"metaData": map[string]string{"k": "v"}}},
		{catalog.GroupsGetMemberAttributes, "GET", md + "/user/bob", nil},
		{catalog.GroupsGetMembersAttributesByKeys, "POST", md + "/get", map[string]any{"targets": []string{"bob"}}},
		{catalog.GroupsSetMemberAttributesBatch, "PUT", md + "/users/batch", []map[string]any{{"username": "bob", "metadata": map[string]string{"k": "w"}}}},
		{catalog.GroupsAddAdmin, "POST", g + "/admin", map[string]any{"newadmin": "bob"}},
		{catalog.GroupsListAdmins, "GET", g + "/admin", nil},
		{catalog.GroupsRemoveAdmin, "DELETE", g + "/admin/bob", nil},
		{catalog.GroupsBlockMember, "POST", g + "/blocks/users/carol", nil},
		{catalog.GroupsBlockMembers, "POST", g + "/blocks/users", map[string]any{"usernames": []string{"dave", "frank"}}},
		{catalog.GroupsListBlocked, "GET", g + "/blocks/users", nil},
		{catalog.GroupsUnblockMember, "DELETE", g + "/blocks/users/carol", nil},
		{catalog.GroupsUnblockMembers, "DELETE", g + "/blocks/users/dave,carol", nil},
		{catalog.GroupsAllowMember, "POST", g + "/white/users/bob", nil},
		{catalog.GroupsAllowMembers, "POST", g + "/white/users", map[string]any{"usernames": []string{"bob", "frank"}}},
		{catalog.GroupsListAllowlist, "GET", g + "/white/users", nil},
		{catalog.GroupsDisallowMembers, "DELETE", g + "/white/users/bob", nil},
		{catalog.GroupsMuteMembers, "POST", g + "/mute", map[string]any{"usernames": []string{"bob"}, "mute_duration": 60000}},
		{catalog.GroupsListMuted, "GET", g + "/mute", nil},
		{catalog.GroupsUnmuteMembers, "DELETE", g + "/mute/bob", nil},
		{catalog.GroupsMuteAll, "POST", g + "/ban", nil},
		{catalog.GroupsUnmuteAll, "DELETE", g + "/ban", nil},
		{catalog.GroupsTransferOwner, "PUT", g, map[string]any{"newowner": "bob"}},
		{catalog.GroupsDelete, "DELETE", g, nil},
	} {
		before := srv.OpStats(cl.op.ID).Received
		status, body := c.call(cl.method, cl.path, cl.body)
		require.Equal(t, http.StatusOK, status, "%s: %v", cl.op.ID, body)
		require.Equal(t, before+1, srv.OpStats(cl.op.ID).Received, "%s %s routes to %s", cl.method, cl.path, cl.op.ID)
		if slices.Contains(callerKeys, cl.op) {
			shapeTop(t, cl.op, body)
			continue
		}
		shape(t, cl.op, body)
	}
}

// shapeTop compares the top-level fields with the example's.
func shapeTop(t *testing.T, op *catalog.Op, body map[string]any) map[string]any {
	t.Helper()
	var ex map[string]any
	require.NoError(t, json.Unmarshal([]byte(op.Example), &ex))
	assert.Equal(t, keys(ex), keys(body), "%s: top-level fields", op.ID)
	return ex
}

// shape compares the top level and the data with the example's.
func shape(t *testing.T, op *catalog.Op, body map[string]any) {
	t.Helper()
	ex := shapeTop(t, op, body)
	switch want := ex["data"].(type) {
	case map[string]any:
		got, ok := body["data"].(map[string]any)
		if assert.True(t, ok, "%s: data is an object", op.ID) {
			assert.Equal(t, keys(want), keys(got), "%s: data fields", op.ID)
		}
	case []any:
		union := map[string]any{}
		for _, it := range want {
			if m, ok := it.(map[string]any); ok {
				for k, v := range m {
					union[k] = v
				}
				if _, ok := m["result"]; ok {
					union["reason"] = "a refused user's" // the fact sheet's item tables have it
				}
			}
		}
		if len(union) == 0 {
			return // the example lists nothing
		}
		got, ok := body["data"].([]any)
		if !assert.True(t, ok, "%s: data is an array", op.ID) {
			return
		}
		for _, it := range got {
			if m, ok := it.(map[string]any); ok {
				assert.Subset(t, keys(union), keys(m), "%s: item fields", op.ID)
			}
		}
	}
}
