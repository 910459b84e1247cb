package easemobtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// Documented bounds of the chatroom lists.
var (
	maxRoomPageLimit = catalog.ChatroomsList.MaxItems("limit")
	maxRoomPageSize  = catalog.ChatroomsListMembers.MaxItems("pagesize")
	maxRoomUsers     = catalog.ChatroomsCreate.MaxItems("maxusers")
)

// Page defaults of the chatroom lists (groups-chatrooms.md §6-7).
const (
	defaultRoomPageLimit  = 10
	defaultMemberPageSize = 1000
	defaultJoinedPageSize = 1000
	defaultSuperPageSize  = 10
	// newestJoined is what the joined list returns without paging.
	newestJoined = 500
)

// roomOf is the room of the request's chatroom_id, or its 404.
func (q *request) roomOf(notFound func(string) *apiError) (*chatroom, *apiError) {
	id := q.param("chatroom_id")
	r := q.w.chatrooms.room(id)
	if r == nil {
		return nil, notFound(id)
	}
	r.expireMutes(q.now.UnixMilli())
	return r, nil
}

func (q *request) room() (*chatroom, *apiError) { return q.roomOf(errRoomNotFound) }

// roomPage reads limit and cursor of GET /chatrooms.
func roomPage(q *request) (page, *apiError) {
	return cursorPage(q, defaultRoomPageLimit, maxRoomPageLimit)
}

func checkRoomPage(q *request) *apiError {
	_, aerr := roomPage(q)
	return aerr
}

// numbered reads pagenum and pagesize (the schema checked they are
// integers): pages from 1, size def when absent or not positive, sizes
// above the documented maximum capped as the server does. given reports
// whether the call named either.
func numbered(q *request, def int) (pageNum, size int, given bool) {
	query := q.r.URL.Query()
	pageNum, _ = strconv.Atoi(query.Get("pagenum"))
	size, _ = strconv.Atoi(query.Get("pagesize"))
	if size <= 0 {
		size = def
	}
	return max(pageNum, 1), min(size, maxRoomPageSize), query.Has("pagenum") || query.Has("pagesize")
}

// pagedEnvelope is a list answer with params and count.
func (q *request) pagedEnvelope(data any, n int) *envelope {
	env := q.roomEnvelope("get", data).withCount(n)
	if query := q.r.URL.Query(); len(query) > 0 {
		env.Params = query
	}
	return env
}

// roomSummary is an item of GET /chatrooms.
type roomSummary struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Owner             string `json:"owner"`
	AffiliationsCount int    `json:"affiliations_count"`
}

func listRooms(q *request) (any, *apiError) {
	p, _ := roomPage(q)
	rooms, next := q.w.chatrooms.page(p.after, p.limit)
	data := make([]roomSummary, len(rooms))
	for i, r := range rooms {
		data[i] = roomSummary{ID: r.id, Name: r.name, Owner: r.owner, AffiliationsCount: r.count()}
	}
	env := q.pagedEnvelope(data, len(data))
	if next != 0 {
		env.Cursor = encodeCursor(next)
	}
	return env, nil
}

// joinedRoom is an item of the rooms a user joined; disabled is a string.
type joinedRoom struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Disabled string `json:"disabled"`
}

func listJoinedRooms(q *request) (any, *apiError) {
	s := &q.w.chatrooms
	s.init()
	var ids []string
	if set := s.joined[fold(q.param("username"))]; set != nil {
		ids = set.list
	}
	pageNum, size, given := numbered(q, defaultJoinedPageSize)
	if given {
		ids = pageOf(ids, pageNum, 1, size)
	} else {
		ids = ids[max(len(ids)-newestJoined, 0):]
	}
	data := make([]joinedRoom, len(ids))
	for i, id := range ids {
		data[i] = joinedRoom{ID: id, Name: s.byID[id].name, Disabled: "false"}
	}
	return &propsEnvelope{envelope: q.pagedEnvelope(data, len(data))}, nil
}

// roomDetail is a room as GET /chatrooms/{ids} shows it.
type roomDetail struct {
	ID                string              `json:"id"`
	Name              string              `json:"name"`
	Description       string              `json:"description"`
	MembersOnly       bool                `json:"membersonly"`
	AllowInvites      bool                `json:"allowinvites"`
	MaxUsers          int                 `json:"maxusers"`
	Owner             string              `json:"owner"`
	Created           int64               `json:"created"`
	Custom            string              `json:"custom"`
	AffiliationsCount int                 `json:"affiliations_count"`
	Affiliations      []map[string]string `json:"affiliations"`
	Public            bool                `json:"public"`
	Mute              bool                `json:"mute"`
}

// affiliations lists the owner, then the members in join order.
func (r *chatroom) affiliations() []map[string]string {
	out := make([]map[string]string, 0, r.count())
	out = append(out, map[string]string{"owner": r.owner})
	for _, m := range r.members.list {
		out = append(out, map[string]string{"member": m})
	}
	return out
}

// getRooms answers the rooms found among the IDs; none found is a 404.
func getRooms(q *request) (any, *apiError) {
	var data []roomDetail
	var missing string
	for _, id := range strings.Split(q.param("chatroom_ids"), ",") {
		r := q.w.chatrooms.room(id)
		if r == nil {
			missing = id
			continue
		}
		data = append(data, roomDetail{ID: r.id, Name: r.name, Description: r.description, MaxUsers: r.maxUsers,
			Owner: r.owner, Created: r.created, Custom: r.custom, AffiliationsCount: r.count(),
			Affiliations: r.affiliations(), Public: true, Mute: r.allMuted})
	}
	if len(data) == 0 {
		return nil, errRoomNotFoundDetail(missing)
	}
	return q.roomEnvelope("get", data).withCount(len(data)), nil
}

// newRoom is the body of POST /chatrooms; pointers tell absent fields.
type newRoom struct {
	Name        *string  `json:"name"`
	Description *string  `json:"description"`
	Owner       *string  `json:"owner"`
	MaxUsers    int      `json:"maxusers"`
	Members     []string `json:"members"`
	Custom      string   `json:"custom"`
	RoomID      string   `json:"roomid"`
}

// roomText checks the texts of a create or an update. The docs give the
// words of the update's refusals; a create is refused alike.
func roomText(name, desc *string, maxUsers int) *apiError {
	switch {
	case name != nil && utf8.RuneCountInString(*name) > rules.MaxChatroomNameChars:
		return errExceedLimit("title cannot exceed to " + strconv.Itoa(rules.MaxChatroomNameChars))
	case desc != nil && utf8.RuneCountInString(*desc) > rules.MaxChatroomDescriptionChars:
		return errExceedLimit("desc cannot exceed to " + strconv.Itoa(rules.MaxChatroomDescriptionChars))
	case maxUsers > maxRoomUsers:
		return errExceedLimit("maxUsers cannot exceed " + strconv.Itoa(maxRoomUsers))
	}
	return nil
}

func checkCreateRoom(q *request) *apiError {
	b, aerr := decodeBody[newRoom](q)
	if aerr != nil {
		return aerr
	}
	for _, f := range []struct {
		name  string
		value *string
	}{{"name", b.Name}, {"description", b.Description}, {"owner", b.Owner}} {
		if f.value == nil {
			return errRoomInvalidParameter(f.name + " must be provided")
		}
	}
	if aerr := roomText(b.Name, b.Description, b.MaxUsers); aerr != nil {
		return aerr
	}
	if len(b.Custom) > rules.MaxChatroomCustomBytes {
		return errRoomInvalidParameter("custom length exceeds limit " + strconv.Itoa(rules.MaxChatroomCustomBytes))
	}
	if b.RoomID != "" && rules.ChatroomID(b.RoomID) != nil {
		return errRoomInvalidParameter("roomid " + b.RoomID + " is illegal")
	}
	if len(b.Members) > maxUsersOf(b.MaxUsers) {
		return errExceedLimit(descRoomFull)
	}
	return nil
}

func createRoom(q *request) (any, *apiError) {
	b, _ := decodeBody[newRoom](q)
	s := &q.w.chatrooms
	owner := fold(*b.Owner)
	members := make([]string, 0, len(b.Members))
	for _, u := range append([]string{owner}, b.Members...) {
		if _, ok := q.w.users.get(u); !ok {
			return nil, errNoSuchUser(u)
		}
		members = append(members, fold(u))
	}
	if b.RoomID != "" && s.room(b.RoomID) != nil {
		return nil, errIllegalArgument("group ID " + b.RoomID + " already exists!")
	}
	r := s.create(&chatroom{id: b.RoomID, name: *b.Name, description: *b.Description, custom: b.Custom,
		owner: owner, maxUsers: maxUsersOf(b.MaxUsers), created: q.now.UnixMilli()}, members[1:])
	return q.roomEnvelope("post", map[string]string{"id": r.id}), nil
}

// roomChanges is the body of PUT /chatrooms/{id}: only these fields.
type roomChanges struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	MaxUsers    *int    `json:"maxusers"`
}

func checkUpdateRoom(q *request) *apiError {
	var fields map[string]json.RawMessage
	if json.Unmarshal(q.body, &fields) != nil {
		return errJSONParse()
	}
	var bad []string
	for k := range fields {
		if k != "name" && k != "description" && k != "maxusers" {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return errRoomInvalidParameter("some of [" + strings.Join(bad, ", ") + "] are not valid fields")
	}
	b, aerr := decodeBody[roomChanges](q)
	if aerr != nil {
		return aerr
	}
	maxUsers := 0
	if b.MaxUsers != nil {
		maxUsers = *b.MaxUsers
	}
	return roomText(b.Name, b.Description, maxUsers)
}

func updateRoom(q *request) (any, *apiError) {
	b, _ := decodeBody[roomChanges](q)
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	data := map[string]bool{}
	if b.Name != nil {
		r.name, data["groupname"] = *b.Name, true
	}
	if b.Description != nil {
		r.description, data["description"] = *b.Description, true
	}
	if b.MaxUsers != nil && *b.MaxUsers >= 1 {
		r.maxUsers, data["maxusers"] = *b.MaxUsers, true
	}
	return q.roomEnvelope("put", data), nil
}

type newOwner struct {
	NewOwner string `json:"newowner"`
}

// transferRoom makes newowner the owner; the old owner stays a member.
func transferRoom(q *request) (any, *apiError) {
	b, _ := decodeBody[newOwner](q)
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	to := fold(b.NewOwner)
	switch _, exists := q.w.users.get(to); {
	case !exists:
		return nil, errNoSuchUser(b.NewOwner)
	case to == r.owner:
		return nil, errRoomForbidden(http.StatusForbidden, descSameOwner)
	case r.blocked.contains(to):
		return nil, cannotJoin(to)
	case !r.members.contains(to) && r.full(1):
		return nil, errExceedLimit(descRoomFull)
	}
	s := &q.w.chatrooms
	s.join(r, to)
	r.members.remove(to)
	r.admins.remove(to)
	r.members.add(r.owner)
	r.owner = to
	return q.roomEnvelope("put", map[string]bool{"newowner": true}), nil
}

func deleteRoom(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	q.w.chatrooms.delete(r)
	return q.roomEnvelope("delete", map[string]any{"success": true, "id": r.id}), nil
}

func roomGetAnnouncement(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	return q.roomEnvelope("get", map[string]string{"announcement": r.announcement}), nil
}

type announcement struct {
	Announcement string `json:"announcement"`
}

func roomCheckAnnouncement(q *request) *apiError {
	b, aerr := decodeBody[announcement](q)
	if aerr == nil && utf8.RuneCountInString(b.Announcement) > rules.MaxChatroomAnnouncementChars {
		aerr = errRoomForbidden(http.StatusForbidden, descAnnounceLong)
	}
	return aerr
}

func roomSetAnnouncement(q *request) (any, *apiError) {
	b, _ := decodeBody[announcement](q)
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	r.announcement = b.Announcement
	return q.roomEnvelope("post", map[string]any{"id": r.id, "result": true}), nil
}
