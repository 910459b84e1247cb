package easemobtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

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

type usernamesBody struct {
	Usernames []string `json:"usernames"`
}

// checkUsernames answers a body list above its cap in the server's words:
// desc followed by the cap.
func checkUsernames(limit int, desc string) func(q *request) *apiError {
	return func(q *request) *apiError {
		b, aerr := decodeBody[usernamesBody](q)
		if aerr == nil && len(b.Usernames) > limit {
			aerr = errInvalidParameter(desc + strconv.Itoa(limit))
		}
		return aerr
	}
}

// bodyNames are the body's usernames, folded.
func bodyNames(q *request) []string {
	b, _ := decodeBody[usernamesBody](q)
	return foldAll(b.Usernames)
}

// pathNames are the usernames of the path list, folded.
func pathNames(q *request) []string { return foldAll(strings.Split(q.param("usernames"), ",")) }

func foldAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fold(n)
	}
	return out
}

// userVerdict is what a batch call did with one user.
type userVerdict struct {
	ok     bool
	reason string
	// absent: refused for not being in the room (or on the list acted on).
	absent bool
	expire *int64
}

func done() userVerdict                              { return userVerdict{ok: true} }
func refused(reason string) userVerdict              { return userVerdict{reason: reason} }
func absentFrom(reason string) userVerdict           { return userVerdict{reason: reason, absent: true} }
func (v userVerdict) until(expire int64) userVerdict { v.expire = &expire; return v }

// batchShape is how a per-user answer names the call and the room.
type batchShape struct {
	action  string
	roomKey string // "id", "chatroomid" or "" (the mute answers name no room)
	status  int    // of the refusal when no user is in the room
}

// perUser decides each user of a batch call and answers one item a user.
// When no user is in the room, the call fails as the docs say ("users
// [..] are not members of this group!"); decide changes nothing then.
func (q *request) perUser(r *chatroom, names []string, shape batchShape, decide func(user string) userVerdict) (any, *apiError) {
	verdicts := make([]userVerdict, len(names))
	absent := 0
	for i, u := range names {
		verdicts[i] = decide(u)
		if verdicts[i].absent {
			absent++
		}
	}
	if absent == len(names) {
		return nil, errNotMembers(shape.status, names)
	}
	data := make([]userItem, len(names))
	for i, u := range names {
		data[i] = shape.item(r, u, verdicts[i])
	}
	return q.roomEnvelope(q.envelopeAction(), data), nil
}

func (shape batchShape) item(r *chatroom, user string, v userVerdict) userItem {
	it := userItem{Result: v.ok, Action: shape.action, Reason: v.reason, Expire: v.expire, User: user}
	switch shape.roomKey {
	case "id":
		it.ID = r.id
	case "chatroomid":
		it.ChatroomID = r.id
	}
	return it
}

// single answers a single-user call that succeeded.
func (q *request) single(r *chatroom, user string, shape batchShape) (any, *apiError) {
	return q.roomEnvelope(q.envelopeAction(), shape.item(r, user, done())), nil
}

// envelopeAction is the answer's action: the request's method, lower-case.
func (q *request) envelopeAction() string { return strings.ToLower(q.r.Method) }

var (
	shapeAddMember    = batchShape{"add_member", "id", http.StatusBadRequest}
	shapeRemoveMember = batchShape{"remove_member", "id", http.StatusBadRequest}
	shapeBlock        = batchShape{"add_blocks", "chatroomid", http.StatusForbidden}
	shapeUnblock      = batchShape{"remove_blocks", "chatroomid", http.StatusForbidden}
	shapeAllow        = batchShape{"add_user_whitelist", "chatroomid", http.StatusBadRequest}
	shapeDisallow     = batchShape{"remove_user_whitelist", "chatroomid", http.StatusBadRequest}
	shapeMute         = batchShape{"", "", http.StatusBadRequest}
)

func listMembers(q *request) (any, *apiError) {
	r, aerr := q.roomOf(errRoomNotFoundDetail)
	if aerr != nil {
		return nil, aerr
	}
	pageNum, size, _ := numbered(q, defaultMemberPageSize)
	data := pageOf(r.affiliations(), pageNum, size)
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
		return nil, errForbiddenOp(http.StatusBadRequest, descOnOwner)
	case !r.members.contains(u):
		return nil, errNotMembers(http.StatusBadRequest, []string{u})
	}
	q.w.chatrooms.leave(r, u)
	return q.single(r, u, shapeRemoveMember)
}

func removeMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.perUser(r, pathNames(q), shapeRemoveMember, func(u string) userVerdict {
		switch {
		case u == r.owner:
			return refused(descOnOwner)
		case !r.members.contains(u):
			// The batch example's words ("group", though a room).
			return absentFrom("user: " + u + " doesn't exist in group: " + r.id)
		}
		q.w.chatrooms.leave(r, u)
		return done()
	})
}

func listAdmins(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.roomEnvelope("get", r.admins.items()).withCount(r.admins.len()), nil
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
		return nil, errForbiddenOp(http.StatusForbidden, descOnOwner)
	case !r.members.contains(u):
		return nil, &apiError{http.StatusNotFound, "resource_not_found", "EasemobResourceNotFoundException", notInRoom(u, r.id)}
	case r.admins.contains(u):
		return nil, errForbiddenOp(http.StatusForbidden, "user: "+u+" is already admin of chatroom: "+r.id)
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
		return nil, errForbiddenOp(http.StatusForbidden, "user:"+u+" is not admin of chatroom:"+r.id)
	}
	return q.roomEnvelope("delete", map[string]string{"result": "success", "oldadmin": u}), nil
}

func listBlocked(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.roomEnvelope("get", r.blocked.items()).withCount(r.blocked.len()), nil
}

// block takes a member out of the room and keeps it out.
func (q *request) block(r *chatroom, u string) userVerdict {
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

// answerSingle answers a single-user call by its userVerdict: a refusal is
// the call's error (forbidden_op with the shape's status).
func (q *request) answerSingle(r *chatroom, u string, shape batchShape, v userVerdict) (any, *apiError) {
	switch {
	case v.absent:
		return nil, errNotMembers(shape.status, []string{u})
	case !v.ok:
		return nil, errForbiddenOp(shape.status, v.reason)
	}
	return q.single(r, u, shape)
}

func blockMember(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("username"))
	return q.answerSingle(r, u, shapeBlock, q.block(r, u))
}

func blockMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.perUser(r, bodyNames(q), shapeBlock, func(u string) userVerdict { return q.block(r, u) })
}

// unblock takes a user off the block list. The docs answer a user not on
// it with the not-members words.
func unblock(r *chatroom, u string) userVerdict {
	if !r.blocked.remove(u) {
		return absentFrom("user: " + u + " is not in the blacklist of chatroom: " + r.id)
	}
	return done()
}

func unblockMember(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("username"))
	return q.answerSingle(r, u, shapeUnblock, unblock(r, u))
}

func unblockMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.perUser(r, pathNames(q), shapeUnblock, func(u string) userVerdict { return unblock(r, u) })
}

func listAllowlist(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.roomEnvelope("get", r.allowed.items()).withCount(r.allowed.len()), nil
}

func allow(r *chatroom, u string) userVerdict {
	if !r.isMember(u) {
		return absentFrom(notInRoom(u, r.id))
	}
	r.allowed.add(u)
	return done()
}

// allowMember answers a non-member 403, as the newer page does.
func allowMember(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	u := fold(q.param("username"))
	shape := shapeAllow
	shape.status = http.StatusForbidden
	return q.answerSingle(r, u, shape, allow(r, u))
}

func allowMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.perUser(r, bodyNames(q), shapeAllow, func(u string) userVerdict { return allow(r, u) })
}

func disallowMembers(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.perUser(r, pathNames(q), shapeDisallow, func(u string) userVerdict {
		if !r.allowed.remove(u) {
			return absentFrom("user: " + u + " is not in the whitelist of chatroom: " + r.id)
		}
		return done()
	})
}
