package chatrooms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
)

// Why results leave out fields of the documented examples.
const (
	echoRoom    = "the room ID the call names"
	echoUser    = "the user the call names"
	echoAction  = "names the operation"
	itemStatus  = "each item's Status reports it"
	successText = `"success", reported as true`
	emptyField  = "always empty"
)

// drops of the single-user calls that answer {result, action, user, <room>}.
func singleDrops(room string) map[string]string {
	return map[string]string{"data.action": echoAction, "data.user": echoUser, "data." + room: echoRoom}
}

// drops of the per-user batch answers.
func batchDrops(room string, action bool) map[string]string {
	d := map[string]string{"data.result": itemStatus, "data." + room: echoRoom}
	if action {
		d["data.action"] = echoAction
	}
	return d
}

// The calls use the names of the documented examples where a method looks
// its answer up by input (users, room IDs, attribute keys).
func TestWire(t *testing.T) {
	const room, room2, room3 = "66XXXX33", "12XXXX11", "662XXXX13"
	attrs := map[string]string{"key1": "value1", "key2": "value2"}
	wiretest.Run(t, []wiretest.Case{
		{Name: "List", Op: catalog.ChatroomsList, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.List(ctx, chatrooms.ListParams{Limit: 10})
		}},
		{Name: "ListFromCursor", Op: catalog.ChatroomsList, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.List(ctx, chatrooms.ListParams{Limit: 2, Cursor: "ZGNiMjRmNGY1YjczYjlhYTNkYjk1MDY2YmEyNzFmODQ6aW06Y2hhdHJvb206ZWFzZW1vYi1kZW1vI3Rlc3RhcHA6OA"})
		}},
		{Name: "ListJoinedByUser", Op: catalog.ChatroomsListJoinedByUser, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListJoinedByUser(ctx, "user2", chatrooms.PageParams{Page: 1, Size: 10})
		}},
		{Name: "ListJoinedByUserNewest", Op: catalog.ChatroomsListJoinedByUser, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListJoinedByUser(ctx, "user2", chatrooms.PageParams{})
		}},
		{Name: "Get", Op: catalog.ChatroomsGet, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.Get(ctx, []string{room3})
		}},
		{Name: "Create", Op: catalog.ChatroomsCreate, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.Create(ctx, chatrooms.NewChatroom{Name: "testchatroom1", Description: "test", Owner: "user1",
				MaxUsers: 300, Members: []string{"user2"}, Custom: "c"})
		}},
		{Name: "Update", Op: catalog.ChatroomsUpdate, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.Update(ctx, room3, chatrooms.Changes{Name: "testchatroom", Description: "test", MaxUsers: 100})
		}},
		{Name: "TransferOwner", Op: catalog.ChatroomsTransferOwner, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.TransferOwner(ctx, "66XXXX85", "user2")
		}},
		{Name: "Delete", Op: catalog.ChatroomsDelete, Drops: map[string]string{"data.id": echoRoom},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Chatrooms.Delete(ctx, room3) }},
		{Name: "GetAnnouncement", Op: catalog.ChatroomsGetAnnouncement, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.GetAnnouncement(ctx, room2)
		}},
		{Name: "SetAnnouncement", Op: catalog.ChatroomsSetAnnouncement, Drops: map[string]string{"data.id": echoRoom},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.SetAnnouncement(ctx, room2, "XXXX.")
			}},
		{Name: "GetAttributes", Op: catalog.ChatroomsGetAttributes, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.GetAttributes(ctx, room3, []string{"key1", "key2"})
		}},
		{Name: "GetAllAttributes", Op: catalog.ChatroomsGetAttributes, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.GetAttributes(ctx, room3, nil)
		}},
		{Name: "SetAttributes", Op: catalog.ChatroomsSetAttributes, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return partial(c.Chatrooms.SetAttributes(ctx, room3, "user1", attrs, chatrooms.DeleteOnLeave))
		}},
		{Name: "SetAttributesForced", Op: catalog.ChatroomsSetAttributesForced, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return partial(c.Chatrooms.SetAttributesForced(ctx, room3, "user1", attrs, ""))
		}},
		{Name: "DeleteAttributes", Op: catalog.ChatroomsDeleteAttributes, Drops: map[string]string{"status": `always "ok"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return partial(c.Chatrooms.DeleteAttributes(ctx, room3, "user1", []string{"key1", "key2"}))
			}},
		{Name: "DeleteAttributesForced", Op: catalog.ChatroomsDeleteAttributesForced, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return partial(c.Chatrooms.DeleteAttributesForced(ctx, room3, "user1", []string{"key1", "key2"}))
		}},
		{Name: "ListMembers", Op: catalog.ChatroomsListMembers, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListMembers(ctx, room2, chatrooms.PageParams{Page: 2, Size: 2})
		}},
		{Name: "AddMember", Op: catalog.ChatroomsAddMember, Drops: singleDrops("id"), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.AddMember(ctx, room, "user1")
		}},
		{Name: "AddMembers", Op: catalog.ChatroomsAddMembers, Drops: map[string]string{"data.action": echoAction, "data.id": echoRoom},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.AddMembers(ctx, room, []string{"user1", "user2"})
			}},
		{Name: "RemoveMember", Op: catalog.ChatroomsRemoveMember, Drops: singleDrops("id"), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.RemoveMember(ctx, room, "user1")
		}},
		{Name: "RemoveMembers", Op: catalog.ChatroomsRemoveMembers, Drops: batchDrops("id", true), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return partial(c.Chatrooms.RemoveMembers(ctx, room, []string{"user1", "user2"}))
		}},
		{Name: "ListAdmins", Op: catalog.ChatroomsListAdmins, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListAdmins(ctx, room2)
		}},
		{Name: "AddAdmin", Op: catalog.ChatroomsAddAdmin, Drops: map[string]string{"data.result": successText, "data.newadmin": echoUser},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.AddAdmin(ctx, room2, "user1")
			}},
		{Name: "RemoveAdmin", Op: catalog.ChatroomsRemoveAdmin, Drops: map[string]string{"data.result": successText, "data.oldadmin": echoUser},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.RemoveAdmin(ctx, room2, "user1")
			}},
		{Name: "ListBlocked", Op: catalog.ChatroomsListBlocked, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListBlocked(ctx, room)
		}},
		{Name: "BlockMember", Op: catalog.ChatroomsBlockMember, Drops: singleDrops("chatroomid"), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.BlockMember(ctx, room, "user1")
		}},
		{Name: "BlockMembers", Op: catalog.ChatroomsBlockMembers, Drops: batchDrops("chatroomid", true), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return partial(c.Chatrooms.BlockMembers(ctx, room, []string{"user3", "user4"}))
		}},
		{Name: "UnblockMember", Op: catalog.ChatroomsUnblockMember, Drops: singleDrops("chatroomid"), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.UnblockMember(ctx, room, "user1")
		}},
		{Name: "UnblockMembers", Op: catalog.ChatroomsUnblockMembers, Drops: batchDrops("chatroomid", true), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.UnblockMembers(ctx, room, []string{"user1", "user2"})
		}},
		{Name: "ListAllowlist", Op: catalog.ChatroomsListAllowlist, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListAllowlist(ctx, room)
		}},
		{Name: "AllowMember", Op: catalog.ChatroomsAllowMember, Drops: singleDrops("chatroomid"), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.AllowMember(ctx, room, "wzy_xiaomi")
		}},
		{Name: "AllowMembers", Op: catalog.ChatroomsAllowMembers, Drops: batchDrops("chatroomid", true), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.AllowMembers(ctx, room, []string{"wzy_test", "wzy_meizu"})
		}},
		{Name: "DisallowMembers", Op: catalog.ChatroomsDisallowMembers, Drops: batchDrops("chatroomid", true), Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.DisallowMembers(ctx, room, []string{"wzy_huawei", "wzy_meizu"})
		}},
		{Name: "ListMuted", Op: catalog.ChatroomsListMuted, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListMuted(ctx, room2)
		}},
		{Name: "MuteMembers", Op: catalog.ChatroomsMuteMembers, Drops: map[string]string{"data.result": itemStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.MuteMembers(ctx, room2, []string{"user1", "user2"}, 24*time.Hour)
			}},
		{Name: "MuteMembersForever", Op: catalog.ChatroomsMuteMembers, Drops: map[string]string{"data.result": itemStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.MuteMembers(ctx, room2, []string{"user1", "user2"}, chatrooms.Forever)
			}},
		{Name: "MuteAll", Op: catalog.ChatroomsMuteAll, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.MuteAll(ctx, room2)
		}},
		{Name: "UnmuteMembers", Op: catalog.ChatroomsUnmuteMembers, Drops: map[string]string{"data.result": itemStatus},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.UnmuteMembers(ctx, room2, []string{"user1"})
			}},
		{Name: "UnmuteAll", Op: catalog.ChatroomsUnmuteAll, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.UnmuteAll(ctx, room2)
		}},
		{Name: "ListSuperAdmins", Op: catalog.ChatroomsListSuperAdmins, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.ListSuperAdmins(ctx, chatrooms.PageParams{Page: 2, Size: 2})
		}},
		{Name: "AddSuperAdmin", Op: catalog.ChatroomsAddSuperAdmin, Drops: map[string]string{"data.result": successText, "data.resource": emptyField},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Chatrooms.AddSuperAdmin(ctx, "XXXX")
			}},
		{Name: "RemoveSuperAdmin", Op: catalog.ChatroomsRemoveSuperAdmin,
			Drops: map[string]string{"data.newSuperAdmin": "the revoked user, whom the call names", "data.resource": emptyField},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Chatrooms.RemoveSuperAdmin(ctx, "XXXX")
			}},
		{Name: "MuteByTag", Op: catalog.ChatroomsMuteByTag, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.MuteByTag(ctx, room2, "t2", time.Hour)
		}},
		{Name: "SetUserTags", Op: catalog.ChatroomsSetUserTags, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.SetUserTags(ctx, room2, "u10", []string{"t1", "t2"})
		}},
		{Name: "ClearUserTags", Op: catalog.ChatroomsSetUserTags, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.SetUserTags(ctx, room2, "u10", nil)
		}},
		{Name: "GetUserTags", Op: catalog.ChatroomsGetUserTags, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Chatrooms.GetUserTags(ctx, room2, "u10")
		}},
	})
}

// partial passes a batch's result on, and its error only when that is more
// than the items the documented example refuses: those are the answer the
// method must decode, not a failed call.
func partial[In, Out any](res *batch.Result[In, Out], err error) (any, error) {
	var be *batch.Error
	if errors.As(err, &be) && len(be.Errs) == 0 && be.Unknown == 0 && be.NotSent == 0 {
		return res, nil
	}
	return res, err
}
