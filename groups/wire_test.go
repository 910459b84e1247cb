package groups_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
)

// Reasons for the example fields a result does not keep.
const (
	echoGroup  = "the group the call was given"
	echoUser   = "the user the call was given"
	echoFile   = "the file the call was given"
	nameAction = "names the operation"
	asStatus   = "each user's result is its item's Status"
	confirmed  = "the method checks the flag and returns only an error"
	successOK  = `"success" is reported as true`
)

func ptr[T any](v T) *T { return &v }

// perUser are the fields of per-user batch answers no item keeps.
var perUser = map[string]string{"data.result": asStatus, "data.action": nameAction, "data.groupid": echoGroup}

// single are the echoes of one-user calls that return the result flag.
var single = map[string]string{"data.action": nameAction, "data.user": echoUser, "data.groupid": echoGroup}

// The calls use the ids and names of the documented examples where a
// method looks its answer up by input.
func TestWire(t *testing.T) {
	g := func(c *easemob.Client) *groups.Service { return c.Groups }
	wiretest.Run(t, []wiretest.Case{
		{Name: "List", Op: catalog.GroupsList, Drops: map[string]string{"data.type": `always "group"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).List(ctx, groups.ListParams{Limit: 2})
			}},
		{Name: "ListFromCursor", Op: catalog.GroupsList, Drops: map[string]string{"data.type": `always "group"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).List(ctx, groups.ListParams{Limit: 2, Cursor: "Y2hhdGdyb3VwczplYXNlbW9iLWRlbW8vY2hhdGRlbW91aV8y"})
			}},
		{Name: "ListJoined", Op: catalog.GroupsListJoinedByUser, Drops: map[string]string{"entities.id": "the same as groupId"},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).ListJoined(ctx, "XXXX", groups.JoinedParams{PageNum: 1, PageSize: 20})
			}},
		{Name: "ListJoinedLegacy", Op: catalog.GroupsListJoinedByUserLegacy,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).ListJoinedLegacy(ctx, "user1", groups.JoinedParams{PageNum: 100, PageSize: 1})
			}},
		{Name: "IsMember", Op: catalog.GroupsIsMember,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).IsMember(ctx, "6XXXX7", "user1")
			}},
		{Name: "Get", Op: catalog.GroupsGet,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Get(ctx, []string{"XXXX"}) }},
		{Name: "Create", Op: catalog.GroupsCreate,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).Create(ctx, groups.NewGroup{Name: "testgroup", Description: "test", Public: true, MaxUsers: 300,
					Owner: "testuser", Members: []string{"user2"}, InviteNeedConfirm: ptr(false), Custom: "x"})
			}},
		{Name: "CreateWithID", Op: catalog.GroupsCreate,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).Create(ctx, groups.NewGroup{ID: "6xxxx7", Public: false, AllowInvites: true, Owner: "testuser"})
			}},
		{Name: "Update", Op: catalog.GroupsUpdate,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).Update(ctx, "6XXXX7", groups.Changes{Name: ptr("testgroup"), Description: ptr("test"), Avatar: ptr("https://www.XXXX.com"),
					MaxUsers: ptr(300), MembersOnly: ptr(true), AllowInvites: ptr(true), InviteNeedConfirm: ptr(true), Public: ptr(true), Custom: ptr("abc")})
			}},
		{Name: "TransferOwner", Op: catalog.GroupsTransferOwner,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).TransferOwner(ctx, "66XXXX85", "user2")
			}},
		{Name: "Delete", Op: catalog.GroupsDelete, Drops: map[string]string{"data.groupid": echoGroup},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Delete(ctx, "6XXXX7") }},
		{Name: "Disable", Op: catalog.GroupsDisable, Drops: map[string]string{"data.disabled": confirmed},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return nil, g(c).Disable(ctx, "XXXX") }},
		{Name: "Enable", Op: catalog.GroupsEnable, Drops: map[string]string{"data.disabled": confirmed},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return nil, g(c).Enable(ctx, "XXXX") }},
		{Name: "Announcement", Op: catalog.GroupsGetAnnouncement,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Announcement(ctx, "6XXXX7") }},
		{Name: "SetAnnouncement", Op: catalog.GroupsSetAnnouncement, Drops: map[string]string{"data.id": echoGroup},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).SetAnnouncement(ctx, "6XXXX7", "群组公告...")
			}},
		{Name: "SharedFiles", Op: catalog.GroupsListSharedFiles,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).SharedFiles(ctx, "6XXXX7", groups.FilesParams{PageNum: 1, PageSize: 10})
			}},
		{Name: "UploadSharedFile", Op: catalog.GroupsUploadSharedFile,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).UploadSharedFile(ctx, "6XXXX7", "img_3.jpg", strings.NewReader("stand-in for a jpeg"))
			}},
		{Name: "DownloadSharedFile", Op: catalog.GroupsDownloadSharedFile,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				var buf bytes.Buffer
				err := g(c).DownloadSharedFile(ctx, "6XXXX7", "b30XXXX4f", &buf)
				return buf.Bytes(), err
			}},
		{Name: "DeleteSharedFile", Op: catalog.GroupsDeleteSharedFile,
			Drops: map[string]string{"data.group_id": echoGroup, "data.file_id": echoFile},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).DeleteSharedFile(ctx, "6XXXX7", "b30XXXX4f")
			}},
		{Name: "Members", Op: catalog.GroupsListMembers,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).Members(ctx, "10XXXX85", groups.MembersParams{PageNum: 2, PageSize: 2})
			}},
		{Name: "MembersJoinedTime", Op: catalog.GroupsListMembers,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).Members(ctx, "10XXXX85", groups.MembersParams{JoinedTime: true})
			}},
		{Name: "AddMember", Op: catalog.GroupsAddMember, Drops: single,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).AddMember(ctx, "66XXXX85", "user4")
			}},
		{Name: "AddMembers", Op: catalog.GroupsAddMembers,
			Drops: map[string]string{"data.groupid": echoGroup, "data.action": nameAction},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).AddMembers(ctx, "66XXXX85", []string{"user4", "user5"})
			}},
		{Name: "RemoveMember", Op: catalog.GroupsRemoveMember, Drops: single,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).RemoveMember(ctx, "66XXXX85", "user3")
			}},
		{Name: "RemoveMembers", Op: catalog.GroupsRemoveMembers, Drops: perUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return partly(g(c).RemoveMembers(ctx, "14XXXX79", []string{"user1", "user2", "user3"}))
			}},
		{Name: "SetMemberAttributes", Op: catalog.GroupsSetMemberAttributes,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).SetMemberAttributes(ctx, "6XXXX7", "user1", map[string]string{"key1": "value1"})
			}},
		{Name: "SetMemberAttributesBatch", Op: catalog.GroupsSetMemberAttributesBatch,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).SetMemberAttributesBatch(ctx, "6XXXX7", []groups.MemberAttributes{
					{Username: "user1", Attributes: map[string]string{"metadataKey1": "value1", "metadataKey2": "value2"}},
					{Username: "user2", Attributes: map[string]string{"metadataKey3": "value3"}},
				})
			}},
		{Name: "MemberAttributes", Op: catalog.GroupsGetMemberAttributes,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).MemberAttributes(ctx, "6XXXX7", "user1")
			}},
		{Name: "MembersAttributes", Op: catalog.GroupsGetMembersAttributesByKeys,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).MembersAttributes(ctx, "6XXXX7", []string{"test1", "test2"}, []string{"key1"})
			}},
		{Name: "Admins", Op: catalog.GroupsListAdmins,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Admins(ctx, "10XXXX85") }},
		{Name: "AddAdmin", Op: catalog.GroupsAddAdmin, Drops: map[string]string{"data.result": successOK, "data.newadmin": echoUser},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).AddAdmin(ctx, "190141728620545", "man")
			}},
		{Name: "RemoveAdmin", Op: catalog.GroupsRemoveAdmin, Drops: map[string]string{"data.result": successOK, "data.oldadmin": echoUser},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).RemoveAdmin(ctx, "10XXXX85", "user1")
			}},
		{Name: "Blocked", Op: catalog.GroupsListBlocked,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Blocked(ctx, "67178793598977") }},
		{Name: "BlockMember", Op: catalog.GroupsBlockMember, Drops: single,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).BlockMember(ctx, "66XXXX85", "user1")
			}},
		{Name: "BlockMembers", Op: catalog.GroupsBlockMembers, Drops: perUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return partly(g(c).BlockMembers(ctx, "66XXXX85", []string{"user3", "user4"}))
			}},
		{Name: "UnblockMember", Op: catalog.GroupsUnblockMember, Drops: single,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).UnblockMember(ctx, "66XXXX85", "user1")
			}},
		{Name: "UnblockMembers", Op: catalog.GroupsUnblockMembers, Drops: perUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).UnblockMembers(ctx, "66XXXX85", []string{"user1", "user2"})
			}},
		{Name: "Allowlist", Op: catalog.GroupsListAllowlist,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Allowlist(ctx, "12XXXX53") }},
		{Name: "AllowMember", Op: catalog.GroupsAllowMember, Drops: single,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).AllowMember(ctx, "12XXXX53", "wzy_xiaomi")
			}},
		{Name: "AllowMembers", Op: catalog.GroupsAllowMembers, Drops: perUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).AllowMembers(ctx, "12XXXX53", []string{"wzy_test", "wzXXXXzu"})
			}},
		{Name: "DisallowMembers", Op: catalog.GroupsDisallowMembers, Drops: perUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).DisallowMembers(ctx, "12XXXX53", []string{"wzy_huawei", "wzXXXXzu"})
			}},
		{Name: "Muted", Op: catalog.GroupsListMuted,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return g(c).Muted(ctx, "10XXXX85") }},
		{Name: "MuteMembers", Op: catalog.GroupsMuteMembers, Drops: map[string]string{"data.result": asStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).MuteMembers(ctx, "10XXXX85", []string{"user1"}, 24*time.Hour)
			}},
		{Name: "MuteMembersForever", Op: catalog.GroupsMuteMembers, Drops: map[string]string{"data.result": asStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).MuteMembers(ctx, "10XXXX85", []string{"user1"}, groups.MuteForever)
			}},
		{Name: "MuteAll", Op: catalog.GroupsMuteAll, Drops: map[string]string{"data.mute": confirmed},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return nil, g(c).MuteAll(ctx, "12XXXX53") }},
		{Name: "UnmuteMembers", Op: catalog.GroupsUnmuteMembers, Drops: map[string]string{"data.result": asStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return g(c).UnmuteMembers(ctx, "10XXXX85", []string{"user1"})
			}},
		{Name: "UnmuteAll", Op: catalog.GroupsUnmuteAll, Drops: map[string]string{"data.mute": confirmed},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return nil, g(c).UnmuteAll(ctx, "12XXXX53") }},
	})
}

// partly returns a batch that the documented example answers in part: the
// per-user failures are the point of the example, not a failed call.
func partly[T any](res T, err error) (any, error) {
	var be *batch.Error
	if errors.As(err, &be) && be.Failed > 0 && be.Unknown == 0 && be.NotSent == 0 {
		return res, nil
	}
	return res, err
}
