package easemobtest

import (
	"fmt"

	"github.com/emquota/easemob/internal/catalog"
)

// chatroomsOps are the operations of chatrooms, members, roles, block and
// allow lists, mutes, announcements, attributes and user tags. Handlers
// live in the chatroom*.go files by area; the state in chatroomstate.go.
var chatroomsOps = ops{
	catalog.ChatroomsList:             {check: checkRoomPage, serve: listRooms},
	catalog.ChatroomsListJoinedByUser: {serve: listJoinedRooms},
	catalog.ChatroomsGet:              {serve: getRooms},
	catalog.ChatroomsCreate:           {check: checkCreateRoom, serve: createRoom},
	catalog.ChatroomsUpdate:           {check: checkUpdateRoom, serve: updateRoom},
	catalog.ChatroomsTransferOwner:    {serve: transferRoom},
	catalog.ChatroomsDelete:           {serve: deleteRoom},
	catalog.ChatroomsGetAnnouncement:  {serve: roomGetAnnouncement},
	catalog.ChatroomsSetAnnouncement:  {check: roomCheckAnnouncement, serve: roomSetAnnouncement},

	catalog.ChatroomsGetAttributes:          {serve: getAttrs},
	catalog.ChatroomsSetAttributes:          {check: checkSetAttrs, serve: setAttrs(false)},
	catalog.ChatroomsSetAttributesForced:    {check: checkSetAttrs, serve: setAttrs(true)},
	catalog.ChatroomsDeleteAttributes:       {check: checkDeleteAttrs, serve: deleteAttrs(false)},
	catalog.ChatroomsDeleteAttributesForced: {check: checkDeleteAttrs, serve: deleteAttrs(true)},

	catalog.ChatroomsListMembers:   {serve: listMembers},
	catalog.ChatroomsAddMember:     {serve: addMember},
	catalog.ChatroomsAddMembers:    {check: checkUsernames(maxAddMembers, "addMembers: addMembers number more than maxSize : "), serve: addMembers},
	catalog.ChatroomsRemoveMember:  {serve: removeMember},
	catalog.ChatroomsRemoveMembers: {serve: manyUsers(shapeRemoveMember, pathNames, removeFromRoom)},
	catalog.ChatroomsListAdmins:    {serve: roomList(func(r *chatroom) *nameSet { return &r.admins })},
	catalog.ChatroomsAddAdmin:      {serve: addAdmin},
	catalog.ChatroomsRemoveAdmin:   {serve: removeAdmin},

	catalog.ChatroomsListBlocked:     {serve: roomList(func(r *chatroom) *nameSet { return &r.blocked })},
	catalog.ChatroomsBlockMember:     {serve: oneUser(shapeBlock, block)},
	catalog.ChatroomsBlockMembers:    {check: checkUsernames(maxBlockMembers, "userNames is more than max limit : "), serve: manyUsers(shapeBlock, bodyNames, block)},
	catalog.ChatroomsUnblockMember:   {serve: oneUser(shapeUnblock, unblock)},
	catalog.ChatroomsUnblockMembers:  {serve: manyUsers(shapeUnblock, pathNames, unblock)},
	catalog.ChatroomsListAllowlist:   {serve: roomList(func(r *chatroom) *nameSet { return &r.allowed })},
	catalog.ChatroomsAllowMember:     {serve: oneUser(shapeAllowOne, allow)},
	catalog.ChatroomsAllowMembers:    {check: checkUsernames(maxAllowMembers, "usernames size is more than max limit : "), serve: manyUsers(shapeAllow, bodyNames, allow)},
	catalog.ChatroomsDisallowMembers: {serve: manyUsers(shapeDisallow, pathNames, disallow)},

	catalog.ChatroomsListMuted:     {serve: roomListMuted},
	catalog.ChatroomsMuteMembers:   {check: checkUsernames(maxMuteMembers, "userNames size is more than max limit : "), serve: manyUsers(shapeMute, bodyNames, muteOne)},
	catalog.ChatroomsMuteAll:       {serve: muteAll},
	catalog.ChatroomsUnmuteMembers: {serve: manyUsers(shapeMute, pathNames, unmuteOne)},
	catalog.ChatroomsUnmuteAll:     {serve: unmuteAll},

	catalog.ChatroomsListSuperAdmins:  {serve: listSuperAdmins},
	catalog.ChatroomsAddSuperAdmin:    {serve: addSuperAdmin},
	catalog.ChatroomsRemoveSuperAdmin: {serve: removeSuperAdmin},

	catalog.ChatroomsMuteByTag:   {check: checkMuteByTag, serve: muteByTag},
	catalog.ChatroomsSetUserTags: {check: checkSetTags, serve: setUserTags},
	catalog.ChatroomsGetUserTags: {serve: getUserTags},
}

// AddChatroom creates a room directly, bypassing HTTP, auth and quotas,
// for seeding test data, and returns its ID. The owner and members must be
// registered users; the room is named after its ID and holds them all
// (its member limit is raised to fit when they pass the default 1000).
func (e *Emulator) AddChatroom(owner string, members ...string) (string, error) {
	var id string
	var err error
	e.world.locked(func() {
		w := e.world
		names := foldAll(append([]string{owner}, members...))
		for _, u := range names {
			if _, ok := w.users.get(u); !ok {
				err = fmt.Errorf("easemobtest: no user %q", u)
				return
			}
		}
		r := w.chatrooms.create(&chatroom{owner: names[0], maxUsers: max(maxUsersOf(0), len(names)),
			created: e.now().UnixMilli()}, names[1:])
		r.name, id = "room-"+r.id, r.id
	})
	return id, err
}

// SetChatroomTagMute turns the chatroom user tag feature on or off (on by
// default). Off emulates an app where sales have not enabled it: every
// tag call answers 403 forbidden_op "Group tag mute is disabled".
func (e *Emulator) SetChatroomTagMute(enabled bool) {
	e.world.locked(func() { e.world.chatrooms.tagsOff = !enabled })
}
