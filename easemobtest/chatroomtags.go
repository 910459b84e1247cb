package easemobtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

var maxUserTags = catalog.ChatroomsSetUserTags.MaxItems("tags")

// tagsOn answers 403 while tag muting is not enabled for the app.
func (q *request) tagsOn() *apiError {
	if q.w.chatrooms.tagsOff {
		return errRoomForbidden(http.StatusForbidden, descTagsOff)
	}
	return nil
}

// tagRoom is the room of a tag call on a member.
func (q *request) tagRoom() (*chatroom, string, *apiError) {
	if aerr := q.tagsOn(); aerr != nil {
		return nil, "", aerr
	}
	r, aerr := q.room()
	if aerr != nil {
		return nil, "", aerr
	}
	u := fold(q.param("username"))
	if !r.isMember(u) {
		return nil, "", errRoomNotMembers(http.StatusBadRequest, []string{u})
	}
	return r, u, nil
}

func tagTooLong(tag string) bool { return utf8.RuneCountInString(tag) > rules.MaxChatroomTagChars }

type userTags struct {
	Tags []string `json:"tags"`
}

func checkSetTags(q *request) *apiError {
	var raw struct {
		Tags json.RawMessage `json:"tags"`
	}
	if json.Unmarshal(q.body, &raw) != nil {
		return errJSONParse()
	}
	var tags []any
	if len(raw.Tags) > 0 && json.Unmarshal(raw.Tags, &tags) != nil {
		return errRoomInvalidParameter("tags should be type of List")
	}
	b, aerr := decodeBody[userTags](q)
	if aerr != nil {
		return aerr
	}
	if len(b.Tags) > maxUserTags {
		return errExceedLimit(descTooManyTags)
	}
	if slices.ContainsFunc(b.Tags, tagTooLong) {
		return errExceedLimit(descTagTooLong)
	}
	return nil
}

// setUserTags replaces a member's tags; none removes them.
func setUserTags(q *request) (any, *apiError) {
	b, _ := decodeBody[userTags](q)
	r, u, aerr := q.tagRoom()
	if aerr != nil {
		return nil, aerr
	}
	var tags []string
	for _, t := range b.Tags {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		delete(r.tags, u)
	} else {
		r.tags[u] = tags
	}
	return &propsEnvelope{envelope: q.roomEnvelope("put", map[string]bool{"result": true})}, nil
}

// getUserTags maps each of a member's tags to the end of its mute, in ms
// as a string ("-1" for good, "0" when not muted).
func getUserTags(q *request) (any, *apiError) {
	r, u, aerr := q.tagRoom()
	if aerr != nil {
		return nil, aerr
	}
	data := map[string]string{}
	for _, t := range r.tags[u] {
		data[t] = strconv.FormatInt(r.tagMutes[t], 10)
	}
	return &propsEnvelope{envelope: q.roomEnvelope("get", data)}, nil
}

type tagMute struct {
	Tag      string `json:"tag"`
	Duration int64  `json:"mute_duration"`
}

func checkMuteByTag(q *request) *apiError {
	b, aerr := decodeBody[tagMute](q)
	if aerr == nil && tagTooLong(b.Tag) {
		aerr = errExceedLimit(descTagTooLong)
	}
	return aerr
}

// muteByTag mutes every member carrying the tag for mute_duration seconds
// (-1 for good; 0 lifts): they join the room's mute list.
func muteByTag(q *request) (any, *apiError) {
	b, _ := decodeBody[tagMute](q)
	if aerr := q.tagsOn(); aerr != nil {
		return nil, aerr
	}
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	var carriers []string
	for _, u := range append([]string{r.owner}, r.members.list...) {
		if slices.Contains(r.tags[u], b.Tag) {
			carriers = append(carriers, u)
		}
	}
	if len(carriers) == 0 {
		return nil, &apiError{http.StatusNotFound, "resource_not_found", "EasemobResourceNotFoundException", "group tag not found"}
	}
	ms := b.Duration
	if ms > 0 {
		ms *= 1000
	}
	now := q.now.UnixMilli()
	for _, u := range carriers {
		r.tagMutes[b.Tag] = r.mute(u, now, ms)
	}
	if ms == 0 {
		delete(r.tagMutes, b.Tag)
	}
	return &propsEnvelope{envelope: q.roomEnvelope("put", map[string]bool{"result": true})}, nil
}
