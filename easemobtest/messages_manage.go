package easemobtest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// statusEnvelope is the success body of the reaction and roaming calls.
type statusEnvelope struct {
	RequestStatusCode string `json:"requestStatusCode"`
	Timestamp         int64  `json:"timestamp"`
	Data              any    `json:"data,omitempty"`
}

func (q *request) statusOK(data any) *statusEnvelope {
	return &statusEnvelope{RequestStatusCode: "ok", Timestamp: q.now.UnixMilli(), Data: data}
}

// recallRequest is one message to recall.
type recallRequest struct {
	MsgID    string `json:"msg_id"`
	To       string `json:"to"`
	ChatType string `json:"chat_type"`
	From     string `json:"from"`
	Force    *bool  `json:"force"`
}

func errRecall(status int, desc string) *apiError {
	return &apiError{status, "message_recall_error", "MessageRecallException", desc}
}

func (r *recallRequest) check() *apiError {
	switch {
	case r.MsgID == "":
		return errRecall(http.StatusBadRequest, "param msg_id can't be empty")
	case r.To == "":
		return errRecall(http.StatusBadRequest, "param to can't be empty")
	case r.ChatType == "":
		return errRecall(http.StatusBadRequest, "param chat_type can't be empty")
	case r.Force == nil:
		return errRecall(http.StatusBadRequest, "param force can't be empty")
	}
	return nil
}

// recalled is one recall's account in the answer.
type recalled struct {
	Recalled string `json:"recalled"`
	ChatType string `json:"chattype"`
	From     string `json:"from"`
	To       string `json:"to"`
	MsgID    string `json:"msg_id"`
}

func checkRecall(q *request) *apiError {
	req, aerr := decodeBody[recallRequest](q)
	if aerr != nil {
		return aerr
	}
	return req.check()
}

func recallMessage(q *request) (any, *apiError) {
	req, _ := decodeBody[recallRequest](q)
	rc, aerr := q.w.recall(req, q.now.UnixMilli())
	if aerr != nil {
		return nil, aerr
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Data = q.op.Path, rc
	return env, nil
}

type recallBatchRequest struct {
	Msgs []recallRequest `json:"msgs"`
}

func checkRecallBatch(q *request) *apiError {
	req, aerr := decodeBody[recallBatchRequest](q)
	if aerr != nil {
		return aerr
	}
	for i := range req.Msgs {
		if aerr := req.Msgs[i].check(); aerr != nil {
			return aerr
		}
	}
	return nil
}

// recallBatch recalls each message on its own; one that cannot be
// recalled says why in its recalled field (success is "yes").
func recallBatch(q *request) (any, *apiError) {
	req, _ := decodeBody[recallBatchRequest](q)
	out := make([]recalled, 0, len(req.Msgs))
	for i := range req.Msgs {
		rc, aerr := q.w.recall(&req.Msgs[i], q.now.UnixMilli())
		if aerr != nil {
			r := &req.Msgs[i]
			rc = recalled{Recalled: aerr.description, ChatType: r.ChatType, From: cmpOr(r.From, "admin"), To: r.To, MsgID: r.MsgID}
		}
		out = append(out, rc)
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Data = q.op.Path, out
	return env, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// recall withdraws a message for every party: out of offline queues,
// roaming, conversation lists and history; its attachment and reactions
// go with it.
func (w *world) recall(r *recallRequest, now int64) (recalled, *apiError) {
	s := &w.messages
	m, ok := s.live(r.MsgID)
	switch {
	case !ok || m.typ == "cmd": // command messages cannot be recalled
		return recalled{}, errRecall(http.StatusForbidden, "not_found msg")
	case m.chatType != r.ChatType || m.to != r.To && (m.chatType != "chat" || fold(m.to) != fold(r.To)):
		return recalled{}, errRecall(http.StatusBadRequest, "can't find msg to")
	case !*r.Force && now-m.at > s.cfg.recallWindow.Milliseconds():
		return recalled{}, errRecall(http.StatusForbidden, "exceed recall time limit")
	}
	m.recalled, m.reactions = true, nil
	s.unqueue(m.id)
	if u, ok := m.body["url"].(string); ok {
		if f := s.files[fileUUID(u)]; f != nil {
			f.deleted = true
		}
	}
	return recalled{Recalled: "yes", ChatType: m.chatType, From: cmpOr(r.From, "admin"), To: m.to, MsgID: m.id}, nil
}

// fileUUID is the last segment of a file URL.
func fileUUID(url string) string {
	url, _, _ = strings.Cut(url, "?")
	return url[strings.LastIndexByte(url, '/')+1:]
}

type modifyRequest struct {
	User    string          `json:"user"`
	NewMsg  json.RawMessage `json:"new_msg"`
	NewExt  json.RawMessage `json:"new_ext"`
	Combine *bool           `json:"is_combine_ext"`
}

func errRewrite(status int, desc string) *apiError {
	return &apiError{status, "message_rewrite_error", "RewriteMessageException", desc}
}

// editable are the types an edit may name (message_modify.md: text and
// custom fully, the others their ext only; never cmd).
var editable = map[string]bool{"txt": true, "custom": true, "loc": true, "img": true, "audio": true, "video": true, "file": true}

func checkModify(q *request) *apiError {
	req, aerr := decodeBody[modifyRequest](q)
	if aerr != nil {
		return aerr
	}
	msg := decodeObject(req.NewMsg)
	if msg == nil {
		return errIllegalArgument("new_msg is required")
	}
	if typ, _ := msg["type"].(string); !editable[typ] {
		return errRewrite(http.StatusBadRequest, "The message type "+typ+" is not supported")
	}
	return nil
}

func modifyMessage(q *request) (any, *apiError) {
	req, _ := decodeBody[modifyRequest](q)
	m, ok := q.w.messages.live(q.param("msg_id"))
	msg := decodeObject(req.NewMsg)
	switch {
	case !ok:
		return nil, &apiError{http.StatusNotFound, "message_rewrite_error", "MessageUnavailableException", "The message is unavailable or has expired"}
	case msg["type"] != m.typ:
		return nil, errRewrite(http.StatusBadRequest, "The message type "+m.typ+" cannot be rewritten as "+msg["type"].(string))
	case req.User != "" && fold(req.User) != fold(m.from):
		return nil, errRewrite(http.StatusUnauthorized, "You are not authorized to edit this message.")
	case m.edits >= 10:
		return nil, errRewrite(http.StatusForbidden, "The message has reached the maximum number of edits.")
	}
	switch m.typ {
	case "txt":
		if v, ok := msg["msg"]; ok {
			m.body["msg"] = v
		}
	case "custom":
		for _, k := range []string{"customEvent", "customExts"} {
			if v, ok := msg[k]; ok {
				m.body[k] = v
			}
		}
	}
	if ext := decodeObject(req.NewExt); ext != nil {
		if req.Combine != nil && !*req.Combine || m.ext == nil {
			m.ext = map[string]any{}
		}
		maps.Copy(m.ext, ext)
	}
	m.edits++
	// The edited body records who, when and how often.
	m.body["edit_count"], m.body["edit_time"], m.body["edit_operator"] = m.edits, q.now.UnixMilli(), cmpOr(req.User, "admin")
	env := q.envelope("put").withURI(q).withApp(q)
	env.Path, env.Data = "/messages/rewrite/"+m.id, "success"
	return env, nil
}

type conversationRequest struct {
	Channel    string `json:"channel"`
	Type       string `json:"type"`
	DeleteRoam *bool  `json:"delete_roam"`
}

func deleteConversation(q *request) (any, *apiError) {
	req, aerr := decodeBody[conversationRequest](q)
	switch {
	case aerr != nil:
		return nil, aerr
	case req.Channel == "":
		return nil, errIllegalArgument("field channel cannot be null or empty")
	case req.Type == "":
		return nil, errIllegalArgument("field type cannot be null or empty")
	case req.DeleteRoam == nil:
		return nil, errIllegalArgument("field delete_roam cannot be null")
	}
	user := fold(q.param("username"))
	if _, ok := q.w.users.get(user); !ok {
		return nil, errUserNotFound()
	}
	s := &q.w.messages
	peer := req.Channel
	if req.Type == "chat" {
		peer = fold(peer)
	}
	key, now := convKey(req.Type, peer), q.now.UnixMilli()
	s.cutList(user, key, now)
	if *req.DeleteRoam {
		s.clear(user, key, now)
	}
	env := q.envelope("delete").withURI(q).withApp(q)
	env.Path, env.Entities, env.Data = "/users/user_channel", []any{}, map[string]string{"result": "ok"}
	return env, nil
}

// cutList drops a conversation from user's list until a newer message.
func (s *messageState) cutList(user, key string, ms int64) {
	if s.listCut[user] == nil {
		s.listCut[user] = map[string]int64{}
	}
	s.listCut[user][key] = max(s.listCut[user][key], ms)
}

// channelInfo is one entry of a conversation list, in the client SDKs'
// names (the REST docs document none).
type channelInfo struct {
	SessionTo   string         `json:"session_to"`
	SessionType string         `json:"session_type"`
	UnreadNum   int            `json:"unread_num"`
	Meta        map[string]any `json:"meta"`
	last        int            // index in the store of the latest message
}

func listConversations(q *request) (any, *apiError) {
	user := fold(q.param("username"))
	if _, ok := q.w.users.get(user); !ok {
		return nil, errUserNotFound()
	}
	s := &q.w.messages
	waiting := map[string]bool{}
	for _, id := range s.offline[user] {
		waiting[id] = true
	}
	byKey := map[string]*channelInfo{}
	var keys []string
	for i, m := range s.order {
		// Group conversations the user wrote in or was written to: the
		// emulator knows no membership of its own here.
		if m.chatType == "chatroom" || !s.visibleTo(m, user) || m.chatType == "groupchat" && !m.addressed(user) {
			continue
		}
		key := convKey(m.chatType, m.peerOf(user))
		if m.at <= s.listCut[user][key] {
			continue
		}
		c := byKey[key]
		if c == nil {
			c = &channelInfo{SessionTo: m.peerOf(user), SessionType: m.chatType}
			byKey[key] = c
			keys = append(keys, key)
		}
		if waiting[m.id] {
			c.UnreadNum++
		}
		c.Meta = map[string]any{"msg_id": m.id, "timestamp": m.at, "from": m.from, "to": m.to, "type": m.typ}
		c.last = i
	}
	list := make([]*channelInfo, 0, len(keys))
	for _, k := range keys {
		list = append(list, byKey[k])
	}
	slices.SortFunc(list, func(a, b *channelInfo) int { return b.last - a.last }) // the latest first
	env := q.envelope("get").withURI(q).withApp(q)
	env.Path, env.Data = "/user/"+user+"/user_channels", map[string]any{"channel_infos": list}
	return env, nil
}

func checkRoamingIDs(q *request) *apiError {
	if ids := q.r.URL.Query().Get("msgIdList"); len(strings.Split(ids, ",")) > q.op.MaxItems("msgIdList") {
		return &apiError{http.StatusBadRequest, "param exception", "ParamException", "delete msg list limit can not greater than 50"}
	}
	return nil
}

// roamingTarget is the conversation key a roaming call names, as its
// owner sees it; groups name a group or a chatroom.
func roamingKeys(q *request) []string {
	query := q.r.URL.Query()
	if peer := query.Get("userId"); peer != "" {
		return []string{convKey("chat", fold(peer))}
	}
	g := query.Get("groupId")
	return []string{convKey("groupchat", g), convKey("chatroom", g)}
}

func deleteRoaming(q *request) (any, *apiError) {
	owner, s := fold(q.param("userId")), &q.w.messages
	keys := roamingKeys(q)
	for _, id := range strings.Split(q.r.URL.Query().Get("msgIdList"), ",") {
		if m, ok := s.msgs[id]; ok && slices.Contains(keys, convKey(m.chatType, m.peerOf(owner))) && m.involves(owner) {
			s.hide(owner, id)
		}
	}
	return q.statusOK(nil), nil
}

func clearRoaming(q *request) (any, *apiError) {
	owner, s, now := fold(q.param("userId")), &q.w.messages, q.now.UnixMilli()
	for _, m := range s.order {
		if m.at <= now && m.involves(owner) {
			key := convKey(m.chatType, m.peerOf(owner))
			s.clear(owner, key, now)
			s.cutList(owner, key, now)
		}
	}
	return q.statusOK(nil), nil
}

func clearRoamingBefore(q *request) (any, *apiError) {
	owner, s := fold(q.param("userId")), &q.w.messages
	t, err := strconv.ParseInt(q.r.URL.Query().Get("delTime"), 10, 64)
	if err != nil {
		return nil, errIllegalArgument("delTime must be an integer")
	}
	for _, key := range roamingKeys(q) {
		s.clear(owner, key, t)
	}
	return q.statusOK(nil), nil
}
