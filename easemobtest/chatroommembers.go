package easemobtest

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// Per-call caps of the member batches, as the server words its refusals.
var (
	maxAddMembers   = catalog.ChatroomsAddMembers.MaxItems("usernames")
	maxBlockMembers = catalog.ChatroomsBlockMembers.MaxItems("usernames")
	maxAllowMembers = catalog.ChatroomsAllowMembers.MaxItems("usernames")
	maxMuteMembers  = catalog.ChatroomsMuteMembers.MaxItems("usernames")
)

func listMembers(q *request) (any, *apiError) {
	r, aerr := q.roomOf(errRoomNotFoundDetail)
	if aerr != nil {
		return nil, aerr
	}
	pageNum, size, _ := numbered(q, defaultMemberPageSize)
	data := pageOf(r.affiliations(), pageNum, 1, size)
	return q.pagedEnvelope(data, len(data)), nil
}

// canJoin says why a user may not join r, or nil.
func (q *request) canJoin(r *chatroom, u string, newcomers int) *apiError {
	switch {
	case r.blocked.contains(u):
		return cannotJoin(u)
	case r.full(newcomers):
		return errExceedLimit(descRoomFull)
	}
	return nil
}

// addMember joins a user; one already in counts as added (newer page).
func addMember(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("username"))
	if _, ok := q.w.users.get(u); !ok {
		return nil, errNoSuchUser(u)
	}
	if !r.isMember(u) {
		if aerr := q.canJoin(r, u, 1); aerr != nil {
			return nil, aerr
		}
		q.w.chatrooms.join(r, u)
	}
	return q.single(r, u, shapeAddMember)
}

// addMembers joins every user that may; members already in count as
// added, blocked users are left out of newmembers. An unknown user fails
// the call, as does a room the newcomers would overfill.
func addMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	names := bodyNames(q)
	fresh := map[string]bool{}
	for _, u := range names {
		if _, ok := q.w.users.get(u); !ok {
			return nil, errNoSuchUser(u)
		}
		if !r.isMember(u) && !r.blocked.contains(u) {
			fresh[u] = true
		}
	}
	if r.full(len(fresh)) {
		return nil, errExceedLimit(descRoomFull)
	}
	added := []string{}
	for _, u := range names {
		if fresh[u] {
			q.w.chatrooms.join(r, u)
		}
		if r.isMember(u) && !slices.Contains(added, u) {
			added = append(added, u)
		}
	}
	return q.roomEnvelope("post", map[string]any{"newmembers": added, "action": "add_member", "id": r.id}), nil
}

func removeMember(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("username"))
	switch _, exists := q.w.users.get(u); {
	case !exists:
		return nil, errNoSuchUser(u)
	case u == r.owner:
		return nil, errRoomForbidden(http.StatusBadRequest, descOnOwner)
	case !r.members.contains(u):
		return nil, errRoomNotMembers(http.StatusBadRequest, []string{u})
	}
	q.w.chatrooms.leave(r, u)
	return q.single(r, u, shapeRemoveMember)
}

// removeFromRoom is RemoveMembers' decision on one user.
func removeFromRoom(q *request, r *chatroom, u string) userVerdict {
	switch {
	case u == r.owner:
		return refused(descOnOwner)
	case !r.members.contains(u):
		// The batch example's words ("group", though a room).
		return absentFrom("user: " + u + " doesn't exist in group: " + r.id)
	}
	q.w.chatrooms.leave(r, u)
	return done()
}

type newAdmin struct {
	NewAdmin string `json:"newadmin"`
}

// addAdmin promotes a member. The docs name the rules (a member, at most
// 99 admins) but answer only unknown users; the other refusals follow
// the group pages' words.
func addAdmin(q *request) (any, *apiError) {
	b, _ := decodeBody[newAdmin](q)
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(b.NewAdmin)
	switch _, exists := q.w.users.get(u); {
	case !exists:
		return nil, errNoSuchUser(u)
	case u == r.owner:
		return nil, errRoomForbidden(http.StatusForbidden, descOnOwner)
	case !r.members.contains(u):
		return nil, &apiError{http.StatusNotFound, "resource_not_found", "EasemobResourceNotFoundException", notInRoom(u, r.id)}
	case r.admins.contains(u):
		return nil, errRoomForbidden(http.StatusForbidden, "user: "+u+" is already admin of chatroom: "+r.id)
	case r.admins.len() >= rules.MaxChatroomAdmins:
		return nil, errExceedLimit("chatroom admin count exceeds the limit " + strconv.Itoa(rules.MaxChatroomAdmins))
	}
	r.admins.add(u)
	return q.roomEnvelope("post", map[string]string{"result": "success", "newadmin": u}), nil
}

func removeAdmin(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("oldadmin"))
	switch _, exists := q.w.users.get(u); {
	case !exists:
		return nil, errNoSuchUser(u)
	case !r.admins.remove(u):
		return nil, errRoomForbidden(http.StatusForbidden, "user:"+u+" is not admin of chatroom:"+r.id)
	}
	return q.roomEnvelope("delete", map[string]string{"result": "success", "oldadmin": u}), nil
}

// block takes a member out of the room and keeps it out.
func block(q *request, r *chatroom, u string) userVerdict {
	switch {
	case u == r.owner:
		return refused(descOnOwner)
	case !r.members.contains(u):
		return absentFrom(notInRoom(u, r.id))
	}
	q.w.chatrooms.leave(r, u)
	r.blocked.add(u)
	return done()
}

// unblock takes a user off the block list. The docs answer a user not on
// it with the not-members words.
func unblock(_ *request, r *chatroom, u string) userVerdict {
	if !r.blocked.remove(u) {
		return absentFrom("user: " + u + " is not in the blacklist of chatroom: " + r.id)
	}
	return done()
}

func allow(_ *request, r *chatroom, u string) userVerdict {
	if !r.isMember(u) {
		return absentFrom(notInRoom(u, r.id))
	}
	r.allowed.add(u)
	return done()
}

func disallow(_ *request, r *chatroom, u string) userVerdict {
	if !r.allowed.remove(u) {
		return absentFrom("user: " + u + " is not in the whitelist of chatroom: " + r.id)
	}
	return done()
}

// decision is what a member call does with one user of room r.
// oneUser serves a single-user call on the path's username: a refusal is
// the call's error.
// manyUsers serves a batch call on the users names reads (the body's or
// the path's), answering per user.
// roomList serves a list of a room's users with its count.
