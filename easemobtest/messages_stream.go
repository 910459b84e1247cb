package easemobtest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// Documented rules of a stream message.
const (
	streamGap   = 30 * time.Second
	streamLife  = 30 * time.Minute
	streamBytes = 128 << 10
)

// stream is the state of one stream message.
type stream struct {
	from, to string
	user     bool // one-to-one (else group)
	start    time.Time
	last     time.Time
	seq      int
	bytes    int
	finished bool // finished, or ended by a broken rule
}

type streamRequest struct {
	From *string `json:"from"`
	To   *string `json:"to"`
	Body *struct {
		MsgID  string  `json:"msgId"`
		Msg    *string `json:"msg"`
		Seq    *int    `json:"seq"`
		Finish bool    `json:"finish"`
	} `json:"body"`
	Ext json.RawMessage `json:"ext"`
}

// errStream is a stream error: message_send_error with its numeric code.
// The pages give no HTTP status for them; the emulator answers 400.
func (q *request) errStream(code int, desc string) *apiError {
	return q.coded(code, &apiError{http.StatusBadRequest, "message_send_error", "MessageSendException", desc})
}

func checkStream(q *request) *apiError {
	req, aerr := decodeBody[streamRequest](q)
	if aerr != nil {
		return aerr
	}
	switch {
	case req.From != nil && *req.From == "":
		return q.errStream(14001, "param from can't be empty")
	case req.To == nil || *req.To == "":
		return q.errStream(14002, "param to can't be empty")
	case req.Body == nil || req.Body.Msg == nil:
		return q.errStream(14005, "param body can't be empty")
	case req.Body.Seq == nil || *req.Body.Seq < 0:
		return q.errStream(14030, "param body.seq is illegal")
	}
	return nil
}

func streamChunk(q *request) (any, *apiError) {
	req, _ := decodeBody[streamRequest](q)
	s := &q.w.messages
	body, from, to := req.Body, sender(req.From), *req.To
	user := q.op == catalog.MessagesSendStreamToUser
	var m *message
	if body.MsgID == "" && len(*body.Msg) > streamBytes {
		return nil, q.errStream(14032, "stream message total length exceeds limit")
	}
	if body.MsgID == "" { // the first chunk, which accept cannot refuse
		m = &message{id: s.newID(), from: from, to: to, chatType: chatTypeOf(q.op), typ: "txt",
			body: map[string]any{"msg": ""}, ext: decodeObject(req.Ext), at: q.now.UnixMilli()}
		s.store(m)
		s.streams[m.id] = &stream{from: from, to: to, user: user, start: q.now, last: q.now, seq: *body.Seq - 1}
		if user {
			q.w.queueIfOffline(to, m.id)
		}
	}
	id := body.MsgID
	if m != nil {
		id = m.id
	}
	st, ok := s.streams[id]
	if m == nil {
		m = s.msgs[id]
	}
	if aerr := st.accept(q, ok && m != nil && st.user == user, from, to, *body.Seq, len(*body.Msg), q.now); aerr != nil {
		return nil, aerr
	}
	m.body["msg"] = m.body["msg"].(string) + *body.Msg
	st.finished = body.Finish
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Data = q.op.Path, map[string]string{"msgId": id}
	return env, nil
}

// accept applies the chunk rules to a chunk of n bytes; a broken gap,
// life or length rule ends the stream.
func (st *stream) accept(q *request, found bool, from, to string, seq, n int, now time.Time) *apiError {
	switch {
	case !found:
		return q.errStream(14031, "can not find stream message by msgId")
	case st.finished:
		return q.errStream(14035, "stream message has already finished")
	case fold(st.from) != fold(from):
		return q.errStream(14036, "stream message from user mismatch")
	case st.user && fold(st.to) != fold(to):
		return q.errStream(14037, "stream message to user mismatch")
	case !st.user && st.to != to:
		return q.errStream(14037, "stream message to mismatch")
	case now.Sub(st.last) > streamGap:
		st.finished = true
		return q.errStream(14033, "stream message chunk interval timeout")
	case now.Sub(st.start) > streamLife:
		st.finished = true
		return q.errStream(14034, "stream message total timeout")
	case seq <= st.seq:
		return q.errStream(14038, "stream message chunk seq too small")
	case st.bytes+n > streamBytes:
		st.finished = true
		return q.errStream(14032, "stream message total length exceeds limit")
	}
	st.seq, st.bytes, st.last = seq, st.bytes+n, now
	return nil
}
