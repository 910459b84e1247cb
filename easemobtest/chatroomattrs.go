package easemobtest

import (
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// Custom attributes: each key belongs to the member who set it; a plain
// set refuses keys of others, a forced one takes them over. The page's
// documented per-key refusal is a key over 128 characters; the other
// per-key words (bad characters, long value, full room, delete refusals)
// follow it.

var maxRoomAttrBatch = catalog.ChatroomsSetAttributes.MaxItems("metaData")

// errAttrBatch is the documented refusal of more than 10 keys a call.
func errAttrBatch() *apiError {
	return errRoomMetadata(http.StatusBadRequest, "exceed allowed batch size "+strconv.Itoa(maxRoomAttrBatch))
}

type attrsBody struct {
	MetaData   map[string]string `json:"metaData"`
	AutoDelete string            `json:"autoDelete"`
}

type attrKeys struct {
	Keys []string `json:"keys"`
}

// keyResults is the data of the attribute writes.
type keyResults struct {
	SuccessKeys []string          `json:"successKeys"`
	ErrorKeys   map[string]string `json:"errorKeys"`
}

func checkSetAttrs(q *request) *apiError {
	b, aerr := decodeBody[attrsBody](q)
	if aerr == nil && len(b.MetaData) > maxRoomAttrBatch {
		aerr = errAttrBatch()
	}
	return aerr
}

func checkDeleteAttrs(q *request) *apiError {
	if len(q.body) == 0 {
		return nil
	}
	b, aerr := decodeBody[attrKeys](q)
	if aerr == nil && len(b.Keys) > maxRoomAttrBatch {
		aerr = errAttrBatch()
	}
	return aerr
}

// attrMember is the room and member of an attribute write; the member
// must be in the room (the docs answer 401 MetadataException otherwise).
func (q *request) attrMember() (*chatroom, string, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, "", aerr
	}
	u := fold(q.param("username"))
	if !r.isMember(u) {
		return nil, "", errRoomMetadata(http.StatusUnauthorized, descNotInRoom)
	}
	return r, u, nil
}

func getAttrs(q *request) (any, *apiError) {
	r, aerr := q.room()
	if aerr != nil {
		return nil, aerr
	}
	var b attrKeys
	if len(q.body) > 0 {
		p, _ := decodeBody[attrKeys](q)
		b = *p
	}
	data := map[string]string{}
	for k, a := range r.attrs {
		if len(b.Keys) == 0 || slices.Contains(b.Keys, k) {
			data[k] = a.value
		}
	}
	return q.metaEnvelope("post", data), nil
}

// attrProblem is why one key-value pair cannot be stored, or "".
func attrProblem(r *chatroom, k, v string, fresh int) string {
	switch {
	case utf8.RuneCountInString(k) > rules.MaxChatroomAttrKeyChars:
		return "properties key '" + k + "' is exceeding maximum limit " + strconv.Itoa(rules.MaxChatroomAttrKeyChars)
	case rules.ChatroomAttrKey(k) != nil:
		return "properties key '" + k + "' is illegal"
	case utf8.RuneCountInString(v) > rules.MaxChatroomAttrValueChars:
		return "properties value of key '" + k + "' is exceeding maximum limit " + strconv.Itoa(rules.MaxChatroomAttrValueChars)
	case r.attrs[k] == nil && len(r.attrs)+fresh >= rules.MaxChatroomAttributes:
		return "chatroom properties count is exceeding maximum limit " + strconv.Itoa(rules.MaxChatroomAttributes)
	}
	return ""
}

func setAttrs(forced bool) handler {
	return func(q *request) (any, *apiError) {
		b, _ := decodeBody[attrsBody](q)
		r, u, aerr := q.attrMember()
		if aerr != nil {
			return nil, aerr
		}
		keys := make([]string, 0, len(b.MetaData))
		for k := range b.MetaData {
			if a := r.attrs[k]; a != nil && a.owner != u && !forced {
				return nil, errRoomMetadata(http.StatusBadRequest, descOthersKeys)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		res := keyResults{SuccessKeys: []string{}, ErrorKeys: map[string]string{}}
		for _, k := range keys {
			if p := attrProblem(r, k, b.MetaData[k], 0); p != "" {
				res.ErrorKeys[k] = p
				continue
			}
			r.attrs[k] = &roomAttr{value: b.MetaData[k], owner: u, autoDelete: b.AutoDelete != "NO_DELETE"}
			res.SuccessKeys = append(res.SuccessKeys, k)
		}
		return q.metaEnvelope("put", res), nil
	}
}

func deleteAttrs(forced bool) handler {
	return func(q *request) (any, *apiError) {
		r, u, aerr := q.attrMember()
		if aerr != nil {
			return nil, aerr
		}
		var keys []string
		if len(q.body) > 0 {
			b, _ := decodeBody[attrKeys](q)
			keys = b.Keys
		}
		if len(keys) == 0 { // no keys: all the member may delete
			for k, a := range r.attrs {
				if forced || a.owner == u {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
		}
		res := keyResults{SuccessKeys: []string{}, ErrorKeys: map[string]string{}}
		for _, k := range keys {
			switch a := r.attrs[k]; {
			case a == nil:
				res.ErrorKeys[k] = "properties key '" + k + "' does not exist"
			case a.owner != u && !forced:
				res.ErrorKeys[k] = "others are not allowed to be deleted"
			default:
				delete(r.attrs, k)
				res.SuccessKeys = append(res.SuccessKeys, k)
			}
		}
		env := q.metaEnvelope("delete", res)
		if !forced {
			env.Status = "ok"
		}
		return env, nil
	}
}
