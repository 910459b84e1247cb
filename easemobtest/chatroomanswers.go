package easemobtest

import (
	"net/http"
	"strings"
)

// Chatroom error answers, in the docs' words (groups-chatrooms.md §6-7,
// newer-operations.md §6 and the per-endpoint pages). Where the docs name
// a rule but not its answer, the words follow the nearest documented one
// (the group pages' for the same rule) and say so.

func errRoomNotFound(id string) *apiError {
	return &apiError{http.StatusNotFound, "resource_not_found", "EasemobResourceNotFoundException", "grpID " + id + " does not exist!"}
}

// errRoomNotFoundDetail is how details and the member list say it.
func errRoomNotFoundDetail(id string) *apiError {
	return &apiError{http.StatusNotFound, "service_resource_not_found", "EasemobResourceNotFoundException", "do not find this group:" + id}
}

func errNoSuchUser(name string) *apiError {
	return &apiError{http.StatusNotFound, "resource_not_found", "EasemobResourceNotFoundException", "username " + name + " doesn't exist!"}
}

// errRoomForbidden is an operation against the room's rules. The chatroom
// pages answer it 400 where the newer block and allow list pages say 403.
func errRoomForbidden(status int, desc string) *apiError {
	return &apiError{status, "forbidden_op", "EasemobForbiddenOpException", desc}
}

func errRoomNotMembers(status int, names []string) *apiError {
	return errRoomForbidden(status, "users ["+strings.Join(names, ", ")+"] are not members of this group!")
}

func errRoomInvalidParameter(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "invalid_parameter", "EasemobInvalidParameterException", desc}
}

// errRoomMetadata is an attribute call's error: the pages give no error type
// for the 400s and MetadataException for the 401.
func errRoomMetadata(status int, desc string) *apiError {
	code := ""
	if status == http.StatusUnauthorized {
		code = "MetadataException"
	}
	return &apiError{status, code, "MetadataException", desc}
}

const (
	descRoomFull     = "members size is greater than max user size !"
	descSameOwner    = "new owner and old owner are the same"
	descTagsOff      = "Group tag mute is disabled"
	descTagTooLong   = "tag length exceeds limit!"
	descTooManyTags  = "user group tag count exceed limit"
	descAnnounceLong = "announce info length exceeds limit!"
	descNotInRoom    = "user is not in chatroom"
	descOthersKeys   = "others are not allowed to be set"
)

// notInRoom is the per-user reason of a batch item whose user is not a
// member, as the block list example words it.
func notInRoom(user, id string) string { return "user: " + user + " doesn't exist in chatroom: " + id }

// cannotJoin refuses a blocked user. The docs name the rule (blocked
// users must be unblocked first) but not the answer; the words follow the
// documented "can not join this group, reason:..." of a join refusal.
func cannotJoin(user string) *apiError {
	return errRoomForbidden(http.StatusForbidden, "can not join this group, reason:user "+user+" is in the blacklist!")
}

// userItem is one item of a per-user batch answer, fields in the order of
// the docs' examples.
type userItem struct {
	Result     bool   `json:"result"`
	Action     string `json:"action,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Expire     *int64 `json:"expire,omitempty"`
	User       string `json:"user"`
	ID         string `json:"id,omitempty"`
	ChatroomID string `json:"chatroomid,omitempty"`
}

// propsEnvelope is an envelope with the empty properties object the newer
// pages' answers carry.
type propsEnvelope struct {
	*envelope
	Properties struct{} `json:"properties"`
}

// metaEnvelope is the attribute calls' own envelope: {uri, timestamp,
// action, data}, with status on a delete.
type metaEnvelope struct {
	URI       string `json:"uri"`
	Status    string `json:"status,omitempty"`
	Timestamp int64  `json:"timestamp"`
	Action    string `json:"action"`
	Data      any    `json:"data"`
}

// roomEnvelope starts a success answer of a chatroom call: action, uri,
// the app's fields and entities [].
func (q *request) roomEnvelope(action string, data any) *envelope {
	env := q.envelope(action).withURI(q).withApp(q)
	env.Entities, env.Data = []any{}, data
	return env
}

func (q *request) metaEnvelope(action string, data any) *metaEnvelope {
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	return &metaEnvelope{URI: scheme + "://" + q.r.Host + "/" + q.e.org + "/" + q.e.app + "/metadata/chatroom",
		Timestamp: q.now.UnixMilli(), Action: action, Data: data}
}
