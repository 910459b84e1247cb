package easemobtest

import (
	"net/http"
	"strconv"
	"strings"
)

// The member calls on many users share one shape: each user decided on
// its own, one answer item a user, and a call-level refusal when none of
// them is in the room. Their single-user twins answer a refusal as the
// call's error.

// checkUsernames answers a body list above its cap in the server's words:
// desc followed by the cap.
func checkUsernames(limit int, desc string) func(q *request) *apiError {
	return func(q *request) *apiError {
		b, aerr := decodeBody[usernamesBody](q)
		if aerr == nil && len(b.Usernames) > limit {
			aerr = errRoomInvalidParameter(desc + strconv.Itoa(limit))
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

// userVerdict is what a call did with one user.
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

// decision is what a member call does with one user of room r.
type decision func(q *request, r *chatroom, u string) userVerdict

// batchShape is how an answer names the call and the room, and the
// status of its refusals.
type batchShape struct {
	action  string
	roomKey string // "id", "chatroomid" or "" (the mute answers name no room)
	status  int
}

var (
	shapeAddMember    = batchShape{"add_member", "id", http.StatusBadRequest}
	shapeRemoveMember = batchShape{"remove_member", "id", http.StatusBadRequest}
	shapeBlock        = batchShape{"add_blocks", "chatroomid", http.StatusForbidden}
	shapeUnblock      = batchShape{"remove_blocks", "chatroomid", http.StatusForbidden}
	shapeAllow        = batchShape{"add_user_whitelist", "chatroomid", http.StatusBadRequest}
	shapeDisallow     = batchShape{"remove_user_whitelist", "chatroomid", http.StatusBadRequest}
	// shapeAllowOne answers a non-member 403, as the newer single-user page does.
	shapeAllowOne = batchShape{"add_user_whitelist", "chatroomid", http.StatusForbidden}
	shapeMute     = batchShape{"", "", http.StatusBadRequest}
)

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

// envelopeAction is the answer's action: the request's method, lower-case.
func (q *request) envelopeAction() string { return strings.ToLower(q.r.Method) }

// single answers a single-user call that succeeded.
func (q *request) single(r *chatroom, user string, shape batchShape) (any, *apiError) {
	return q.roomEnvelope(q.envelopeAction(), shape.item(r, user, done())), nil
}

// oneUser serves a single-user call on the path's username: a refusal is
// the call's error (forbidden_op with the shape's status).
func oneUser(shape batchShape, decide decision) handler {
	return func(q *request) (any, *apiError) {
		r, aerr := q.room()
		if aerr != nil {
			return nil, aerr
		}
		u := fold(q.param("username"))
		switch v := decide(q, r, u); {
		case v.absent:
			return nil, errRoomNotMembers(shape.status, []string{u})
		case !v.ok:
			return nil, errRoomForbidden(shape.status, v.reason)
		}
		return q.single(r, u, shape)
	}
}

// manyUsers serves a batch call on the users names reads (the body's or
// the path's), one answer item a user. When none is in the room, the call
// fails as the docs say ("users [..] are not members of this group!");
// decide has changed nothing then.
func manyUsers(shape batchShape, names func(*request) []string, decide decision) handler {
	return func(q *request) (any, *apiError) {
		r, aerr := q.room()
		if aerr != nil {
			return nil, aerr
		}
		users := names(q)
		verdicts := make([]userVerdict, len(users))
		absent := 0
		for i, u := range users {
			if verdicts[i] = decide(q, r, u); verdicts[i].absent {
				absent++
			}
		}
		if absent == len(users) {
			return nil, errRoomNotMembers(shape.status, users)
		}
		data := make([]userItem, len(users))
		for i, u := range users {
			data[i] = shape.item(r, u, verdicts[i])
		}
		return q.roomEnvelope(q.envelopeAction(), data), nil
	}
}

// roomList serves a list of a room's users with its count.
func roomList(list func(r *chatroom) *nameSet) handler {
	return func(q *request) (any, *apiError) {
		r, aerr := q.room()
		if aerr != nil {
			return nil, aerr
		}
		set := list(r)
		return q.roomEnvelope("get", set.items()).withCount(set.len()), nil
	}
}
