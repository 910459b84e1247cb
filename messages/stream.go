package messages

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Documented rules of a stream message.
const (
	// MaxStreamGap is the longest wait between two chunks of one stream.
	MaxStreamGap = 30 * time.Second
	// MaxStreamLife is the longest a stream may take from its first chunk.
	MaxStreamLife = 30 * time.Minute
	// MaxStreamBytes bounds the text of all a stream's chunks together.
	MaxStreamBytes = 128 << 10
)

// streamMargin is kept from the gap and life deadlines: the chunk must
// reach the server before them, not merely leave.
const streamMargin = time.Second

// ErrStreamClosed is returned by a Stream that finished or that the server
// ended (a rule broken); Stream.Err tells which.
var ErrStreamClosed = errors.New("messages: stream closed")

// StreamParams start a stream message.
type StreamParams struct {
	// From "" sends as admin.
	From string
	// To is the user (StreamToUser) or group (StreamToGroup, at most 200
	// members) the message goes to.
	To string
	// Markdown marks the text as markdown rather than plain text.
	Markdown bool
	// Ext goes with the first chunk, which the server keeps.
	Ext map[string]any
}

// Stream is a text message sent in chunks that clients show as they come
// (an AI answer, say). It sends chunks in call order, one call at a time,
// each paying one message of the stream quota, and keeps the documented
// rules: a chunk is refused before any quota is spent when the text would
// pass MaxStreamBytes or when the gap since the last chunk or the stream's
// life is used up; the wait for quota is bounded so that a chunk still
// reaches the server within them. Finish sends the last chunk. A Stream
// is safe for concurrent use.
type Stream struct {
	s   *Service
	op  *catalog.Op
	p   StreamParams
	set option.Settings

	mu    sync.Mutex
	id    string
	seq   int
	bytes int
	start time.Time // before the first chunk left: no later than its arrival
	last  time.Time // likewise for the latest chunk
	done  bool
	err   error // why the stream ended, nil if it finished
}

// streamBody is the documented stream request.
type streamBody struct {
	From string         `json:"from,omitempty"`
	To   string         `json:"to"`
	Body streamChunk    `json:"body"`
	Ext  map[string]any `json:"ext,omitempty"`
}

type streamChunk struct {
	MsgID        string `json:"msgId,omitempty"`
	Msg          string `json:"msg"`
	Seq          int    `json:"seq"`
	Finish       bool   `json:"finish,omitempty"`
	FinishReason *int   `json:"finishReason,omitempty"`
	Type         string `json:"type,omitempty"`
}

// StreamToUser starts a stream message to a user (发送单聊流式消息) by
// sending its first chunk, and returns the stream with its message ID.
//
//meta:operation POST /stream_message/user (messages.SendStreamToUser)
func (s *Service) StreamToUser(ctx context.Context, p StreamParams, first string, opts ...option.Call) (*Stream, error) {
	return s.startStream(ctx, catalog.MessagesSendStreamToUser, p, first, opts)
}

// StreamToGroup starts a stream message to a group (发送群组流式消息) by
// sending its first chunk, and returns the stream with its message ID.
//
//meta:operation POST /stream_message/chatgroup (messages.SendStreamToGroup)
func (s *Service) StreamToGroup(ctx context.Context, p StreamParams, first string, opts ...option.Call) (*Stream, error) {
	return s.startStream(ctx, catalog.MessagesSendStreamToGroup, p, first, opts)
}

func (s *Service) startStream(ctx context.Context, op *catalog.Op, p StreamParams, first string, opts []option.Call) (*Stream, error) {
	if err := checkFrom(op.ID, p.From); err != nil {
		return nil, err
	}
	check := checkID
	if op == catalog.MessagesSendStreamToUser {
		check = checkUser
	}
	if err := check(op.ID, "To", p.To); err != nil {
		return nil, err
	}
	st := &Stream{s: s, op: op, p: p, set: option.Resolve(opts...)}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.send(ctx, first, false, 0); err != nil {
		return nil, err
	}
	return st, nil
}

// MsgID returns the stream message's ID, which the first chunk's answer
// carried.
func (st *Stream) MsgID() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.id
}

// Write sends the next chunk of text.
func (st *Stream) Write(ctx context.Context, text string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.send(ctx, text, false, 0)
}

// Finish sends the last chunk (text may be empty) with a reason of the
// caller's own meaning; the stream is then closed.
func (st *Stream) Finish(ctx context.Context, text string, reason int) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.send(ctx, text, true, reason)
}

// Err returns why the stream ended: nil while it is open or once it
// finished, else the error that ended it.
func (st *Stream) Err() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err
}

// terminal are the server's descriptions of errors after which a stream
// message takes no more chunks.
var terminal = []string{
	"stream message total length exceeds limit", "stream message chunk interval timeout",
	"stream message total timeout", "stream message has already finished",
	"can not find stream message by msgId",
}

// send sends one chunk; st.mu is held.
func (st *Stream) send(ctx context.Context, text string, finish bool, reason int) error {
	op := st.op
	if st.done {
		if st.err != nil {
			return fmt.Errorf("%w: %w", ErrStreamClosed, st.err)
		}
		return ErrStreamClosed
	}
	if st.bytes+len(text) > MaxStreamBytes {
		return core.Invalid(op.ID, "text", "the stream would hold %d bytes, at most %d allowed", st.bytes+len(text), MaxStreamBytes)
	}
	now := time.Now()
	set := st.set
	if st.id != "" {
		deadline := st.last.Add(MaxStreamGap)
		if life := st.start.Add(MaxStreamLife); life.Before(deadline) {
			deadline = life
		}
		deadline = deadline.Add(-streamMargin)
		left := deadline.Sub(now)
		if left <= 0 {
			st.end(fmt.Errorf("messages: %s: the stream's gap or life is over", op.ID))
			return fmt.Errorf("%w: %w", ErrStreamClosed, st.err)
		}
		if set.MaxWait == 0 || set.MaxWait > left {
			set.MaxWait = left
		}
	}
	chunk := streamChunk{MsgID: st.id, Msg: text, Seq: st.seq, Finish: finish}
	if finish {
		chunk.FinishReason = &reason
	}
	body := streamBody{From: st.p.From, To: st.p.To, Body: chunk}
	if st.id == "" {
		body.Ext = st.p.Ext
		if st.p.Markdown {
			body.Body.Type = "markdown"
		}
	}
	r := &core.Request{Op: op, Body: body, Opts: set}
	data, err := core.Data[struct {
		MsgID string `json:"msgId"`
	}](ctx, st.s.c, r)
	if r.Sent() {
		// Sent, the chunk may have arrived: its seq is used whatever the
		// answer, and the gap runs from it.
		st.seq++
		st.bytes += len(text)
		st.last = now
		if st.start.IsZero() {
			st.start = now
		}
	}
	if err != nil {
		var apiErr *core.Error
		if errors.As(err, &apiErr) && isTerminal(apiErr.Description) {
			st.end(err)
		}
		return err
	}
	if st.id == "" {
		if data.MsgID == "" {
			return &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no msgId in the first chunk's answer"}
		}
		st.id = data.MsgID
	}
	if finish {
		st.done = true
	}
	return nil
}

func (st *Stream) end(err error) { st.done, st.err = true, err }

func isTerminal(desc string) bool {
	for _, t := range terminal {
		if strings.Contains(desc, t) {
			return true
		}
	}
	return false
}
