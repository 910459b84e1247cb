package easemobtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
)

// maxMessageBytes bounds body and ext together (400 message is too large).
const maxMessageBytes = 5 << 10

// errSend is the send pages' 400: message_send_error with their text.
func errSend(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "message_send_error", "MessageSendException", desc}
}

// coded is e answered with the numeric error_code the newer pages add.
func (q *request) coded(code int, e *apiError) *apiError {
	q.errorCode = code
	return e
}

// sendRequest is the body of the five send ops.
type sendRequest struct {
	From       *string         `json:"from"`
	To         []string        `json:"to"`
	Type       string          `json:"type"`
	Body       json.RawMessage `json:"body"`
	Ext        json.RawMessage `json:"ext"`
	Users      []string        `json:"users"`
	RouteType  string          `json:"routetype"`
	RoamIgnore []string        `json:"roam_ignore_users"`
}

// targeted reports the sends to some members of one group or room.
func targeted(op *catalog.Op) bool {
	return op == catalog.MessagesSendToGroupMembers || op == catalog.MessagesSendToChatroomMembers
}

func checkSend(q *request) *apiError {
	req, aerr := decodeBody[sendRequest](q)
	if aerr != nil {
		return aerr
	}
	limit := q.op.MaxItems("to")
	if targeted(q.op) {
		// The error table quotes the untargeted caps for these.
		limit = map[*catalog.Op]int{catalog.MessagesSendToGroupMembers: 3, catalog.MessagesSendToChatroomMembers: 10}[q.op]
	}
	switch {
	case req.From != nil && *req.From == "":
		return errSend("param from can't be empty")
	case len(req.To) == 0:
		return errSend("param to can't be empty")
	case len(req.To) > limit:
		return errSend("params to's size can't exceed limit " + strconv.Itoa(limit))
	case targeted(q.op) && len(req.Users) == 0:
		return errSend("param users can't be empty")
	}
	if aerr := checkBody(q, req.Type, req.Body, req.Ext, errSend); aerr != nil {
		return aerr
	}
	return nil
}

// checkBody applies the documented rules of a message's type, body and
// ext (the schema's message_body check), answering with mk.
func checkBody(q *request, typ string, body, ext json.RawMessage, mk func(string) *apiError) *apiError {
	if typ == "" {
		return mk("param type can't be empty")
	}
	if !knownType[typ] {
		return mk("param type is illegal: " + typ)
	}
	fields := decodeObject(body)
	if len(fields) == 0 {
		return mk("param body can't be empty")
	}
	if p := bodyProblem(typ, fields); p != "" {
		return mk(p)
	}
	if len(ext) > 0 {
		var obj map[string]any
		if json.Unmarshal(ext, &obj) != nil || obj == nil { // null is no object either
			return mk("param ext must be JSONObject")
		}
	}
	if len(body)+len(ext) > maxMessageBytes {
		return q.coded(14007, errSend("message is too large"))
	}
	return nil
}

var knownType = map[string]bool{"txt": true, "img": true, "audio": true, "video": true, "file": true, "loc": true, "cmd": true, "custom": true}

var customEventRE = regexp.MustCompile(`^[a-zA-Z0-9\-_/.]{1,32}$`)

// bodyProblem is the first documented field a body of the type lacks.
func bodyProblem(typ string, b map[string]any) string {
	need := map[string][]string{"txt": {"msg"}, "img": {"url"}, "audio": {"url"}, "video": {"url"}, "file": {"url"},
		"loc": {"lat", "lng", "addr"}, "cmd": {"action"}}[typ]
	for _, f := range need {
		if v, ok := b[f]; !ok || v == nil || v == "" {
			return "param body." + f + " can't be empty"
		}
	}
	if typ == "custom" {
		if ev, ok := b["customEvent"].(string); ok && !customEventRE.MatchString(ev) {
			return "param body.customEvent is illegal"
		}
		if exts, ok := b["customExts"].(map[string]any); ok && len(exts) > 16 {
			return "param body.customExts size can't exceed limit 16"
		}
	}
	return ""
}

// chatTypeOf is the conversation type an op sends in.
func chatTypeOf(op *catalog.Op) string {
	switch op {
	case catalog.MessagesSendToUsers, catalog.MessagesSendStreamToUser, catalog.MessagesImportToUser:
		return "chat"
	case catalog.MessagesSendToChatrooms, catalog.MessagesSendToChatroomMembers:
		return "chatroom"
	}
	return "groupchat"
}

// sender is a request's from, admin when left out.
func sender(from *string) string {
	if from == nil {
		return "admin"
	}
	return *from
}

func sendMessage(q *request) (any, *apiError) {
	req, _ := decodeBody[sendRequest](q)
	s := &q.w.messages
	ct := chatTypeOf(q.op)
	data := make(map[string]string, len(req.To))
	for _, to := range req.To {
		m := &message{id: s.newID(), from: sender(req.From), to: to, chatType: ct, typ: req.Type,
			body: decodeObject(req.Body), ext: decodeObject(req.Ext), at: q.now.UnixMilli(),
			users: req.Users, roamIgnore: req.RoamIgnore}
		s.store(m)
		data[to] = m.id
		if ct == "chat" && req.RouteType != "ROUTE_ONLINE" {
			q.w.queueIfOffline(to, m.id)
		}
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Data = q.op.Path, data
	return env, nil
}

// queueIfOffline keeps a message for a registered user who is offline.
func (w *world) queueIfOffline(user, id string) {
	if res, ok := w.users.resources(user); ok && len(res) == 0 {
		w.messages.queueOffline(fold(user), id)
	}
}

// broadcastRequest is the body of the three broadcasts.
type broadcastRequest struct {
	TargetType *string         `json:"target_type"`
	From       *string         `json:"from"`
	Msg        json.RawMessage `json:"msg"`
	Ext        json.RawMessage `json:"ext"`
}

func checkBroadcast(q *request) *apiError {
	req, aerr := decodeBody[broadcastRequest](q)
	if aerr != nil {
		return aerr
	}
	if q.op == catalog.MessagesBroadcastToAllUsers {
		switch {
		case req.TargetType == nil || *req.TargetType == "":
			return errIllegalArgument("target_type must be provided")
		case *req.TargetType != "users":
			return errIllegalArgument("target_type can only be 'users'")
		}
	}
	if req.From != nil && *req.From == "" {
		return errIllegalArgument("from can't be empty")
	}
	// msg is {type, ...the body's fields} (the broadcast_msg check).
	msg := decodeObject(req.Msg)
	typ, _ := msg["type"].(string)
	delete(msg, "type")
	body, _ := json.Marshal(msg)
	invalid := func(desc string) *apiError {
		if desc == "param ext must be JSONObject" {
			return errIllegalArgument("ext must be JSONObject")
		}
		return &apiError{http.StatusBadRequest, "invalid_request_body", "InvalidRequestBodyException", desc}
	}
	if len(msg) == 0 && typ == "" {
		return invalid("msg must be provided")
	}
	return checkBody(q, typ, body, req.Ext, invalid)
}

func broadcast(q *request) (any, *apiError) {
	s := &q.w.messages
	s.seq++
	id := firstMessageID + s.seq
	if q.op == catalog.MessagesBroadcastToAllUsers {
		// Stored offline for whoever is not online, as the docs say.
		for _, u := range q.w.users.order {
			if len(u.resources) == 0 {
				s.queueOffline(u.Username, strconv.FormatInt(id, 10))
			}
		}
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Data = q.op.Path, map[string]int64{"id": id}
	return env, nil
}

// importRequest is the body of the two imports.
type importRequest struct {
	From      string          `json:"from"`
	Target    string          `json:"target"`
	Type      string          `json:"type"`
	Body      json.RawMessage `json:"body"`
	Ext       json.RawMessage `json:"ext"`
	Timestamp *int64          `json:"msg_timestamp"`
}

func errImport(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "illegal_argument", "java.lang.IllegalArgumentException", desc}
}

func checkImport(q *request) *apiError {
	req, aerr := decodeBody[importRequest](q)
	if aerr != nil {
		return aerr
	}
	switch {
	case req.From == "":
		return errImport("from not allow empty")
	case req.Target == "":
		return errImport("target not allow empty")
	case req.Type == "":
		return errImport("type not allow empty")
	case len(decodeObject(req.Body)) == 0:
		return errImport("message body not allow empty")
	case req.Timestamp != nil && *req.Timestamp < 1000:
		return errImport("msg_timestamp is illegal")
	}
	return checkBody(q, req.Type, req.Body, req.Ext, errImport)
}

func importMessage(q *request) (any, *apiError) {
	req, _ := decodeBody[importRequest](q)
	s := &q.w.messages
	ct := chatTypeOf(q.op)
	at := q.now.UnixMilli()
	if req.Timestamp != nil {
		at = *req.Timestamp
	}
	conv := convKey(ct, req.Target)
	if ct == "chat" {
		a, b := fold(req.From), fold(req.Target)
		conv = convKey(ct, min(a, b)+"|"+max(a, b))
	}
	switch {
	case at > q.now.UnixMilli():
		return nil, errImport("msg_timestamp can not be later than now")
	case at <= s.imported[conv]:
		return nil, errImport("msg_timestamp must be later than the last imported message of the conversation")
	}
	s.imported[conv] = at
	m := &message{id: s.newID(), from: req.From, to: req.Target, chatType: ct, typ: req.Type,
		body: decodeObject(req.Body), ext: decodeObject(req.Ext), at: at, imported: true}
	s.store(m)
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Entities, env.Data = q.op.Path, []any{}, map[string]string{"msg_id": m.id}
	return env, nil
}
