package messages

import (
	"context"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// RecallItem names a message to recall.
type RecallItem struct {
	MsgID string `json:"msg_id"`
	// To is the receiver: the user, group or chatroom ID.
	To       string   `json:"to"`
	ChatType ChatType `json:"chat_type"`
	// From is who recalls it; "" is admin.
	From string `json:"from,omitempty"`
	// Force recalls it even past the recall window (2 minutes by default).
	Force bool `json:"force"`
	// NoSync leaves the sender's other devices unaware of the recall of a
	// one-to-one message (sync_device false; the server's default is true).
	NoSync bool `json:"-"`
}

// recallWire adds sync_device, sent only to turn the default off.
type recallWire struct {
	RecallItem
	SyncDevice *bool `json:"sync_device,omitempty"`
}

func (it RecallItem) wire() recallWire {
	w := recallWire{RecallItem: it}
	if it.NoSync {
		w.SyncDevice = new(bool)
	}
	return w
}

func (it RecallItem) check(op string) error {
	if err := checkID(op, "MsgID", it.MsgID); err != nil {
		return err
	}
	if err := checkChatType(op, "ChatType", it.ChatType, Chat, GroupChat, Chatroom); err != nil {
		return err
	}
	check := checkID
	if it.ChatType == Chat {
		check = checkUser
	}
	if err := check(op, "To", it.To); err != nil {
		return err
	}
	return checkFrom(op, it.From)
}

// Recalled is the server's account of one recall.
type Recalled struct {
	MsgID    string   `json:"msg_id"`
	ChatType ChatType `json:"chattype"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	// Result is the server's word: "yes" when recalled.
	Result string `json:"recalled"`
}

// OK reports that the message was recalled.
func (r Recalled) OK() bool { return strings.EqualFold(r.Result, "yes") }

// Recall recalls one message (撤回消息), for every party, with its
// attachment; info is free text the recall carries
// (recallMessageExtensionInfo), "" for none. A message past the recall
// window needs Force; command messages cannot be recalled.
//
//meta:operation POST /messages/msg_recall (messages.Recall)
func (s *Service) Recall(ctx context.Context, it RecallItem, info string, opts ...option.Call) (*Recalled, error) {
	op := catalog.MessagesRecall
	if err := it.check(op.ID); err != nil {
		return nil, err
	}
	body := struct {
		recallWire
		Info string `json:"recallMessageExtensionInfo,omitempty"`
	}{it.wire(), info}
	res, err := core.Data[Recalled](ctx, s.c, &core.Request{Op: op, Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// RecallBatch recalls many messages (批量撤回消息), split into calls of at
// most 30. The result has one item per message in input order: Done with
// the server's account, Failed with its word when it did not recall it or
// left it out of its answer. A message given twice is refused.
//
//meta:operation POST /messages/batch_recall (messages.RecallBatch)
func (s *Service) RecallBatch(ctx context.Context, items []RecallItem, info string, opts ...option.Call) (*batch.Result[RecallItem, Recalled], error) {
	op := catalog.MessagesRecallBatch
	set := option.Resolve(opts...)
	b := core.Batch[RecallItem, Recalled]{
		Op: op, Cap: "msgs", Field: "items",
		Key:   func(it RecallItem) string { return it.MsgID },
		Check: func(it RecallItem) error { return it.check(op.ID) },
		Send: func(ctx context.Context, chunk []RecallItem) ([]core.Outcome[Recalled], *core.Request, error) {
			msgs := make([]recallWire, len(chunk))
			for i, it := range chunk {
				msgs[i] = it.wire()
			}
			body := struct {
				Msgs []recallWire `json:"msgs"`
				Info string       `json:"recallMessageExtensionInfo,omitempty"`
			}{msgs, info}
			var out struct {
				Data *[]Recalled `json:"data"`
			}
			r := &core.Request{Op: op, Body: body, Result: &out, Opts: set}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			if out.Data == nil {
				return nil, r, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data in the answer"}
			}
			byID := make(map[string]Recalled, len(*out.Data))
			for _, rc := range *out.Data {
				byID[rc.MsgID] = rc
			}
			outcomes := make([]core.Outcome[Recalled], len(chunk))
			for i, it := range chunk {
				rc, ok := byID[it.MsgID]
				switch {
				case !ok:
					outcomes[i] = core.Refused[Recalled](core.Omitted)
				case rc.OK():
					outcomes[i] = core.Accepted(rc)
				default:
					outcomes[i] = core.Refused[Recalled](rc.Result)
				}
			}
			return outcomes, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, items)
}

// Edit is a change of a sent message.
type Edit struct {
	// User is who edits it (optional).
	User string
	// Msg is the new message. A text message's text and a custom
	// message's event and fields can change; of the other types (img,
	// audio, video, file, loc) only the ext: give a body of the message's
	// type, whose other fields are not sent. Command messages cannot be
	// edited. Msg's Ext, when set, is the new ext.
	Msg Message
	// ReplaceExt replaces the old ext with the new one instead of merging
	// them (is_combine_ext false).
	ReplaceExt bool
}

// MaxEdits is how often one message may be edited.
const MaxEdits = 10

// Modify edits a sent message (修改消息): at most MaxEdits times, while the
// server stores it. The feature must be enabled for the app.
//
//meta:operation PUT /messages/rewrite/{msg_id} (messages.Modify)
func (s *Service) Modify(ctx context.Context, msgID string, e Edit, opts ...option.Call) error {
	op := catalog.MessagesModify
	if err := checkID(op.ID, "msgID", msgID); err != nil {
		return err
	}
	if strings.Trim(msgID, "0123456789") != "" {
		return core.Invalid(op.ID, "msgID", "%q is not a number", msgID)
	}
	if e.User != "" {
		if err := checkUser(op.ID, "User", e.User); err != nil {
			return err
		}
	}
	newMsg, err := editedMessage(op.ID, e.Msg)
	if err != nil {
		return err
	}
	body := struct {
		User    string         `json:"user,omitempty"`
		NewMsg  map[string]any `json:"new_msg"`
		NewExt  map[string]any `json:"new_ext,omitempty"`
		Combine *bool          `json:"is_combine_ext,omitempty"`
	}{User: e.User, NewMsg: newMsg, NewExt: e.Msg.extension()}
	if e.ReplaceExt {
		body.Combine = new(bool)
	}
	res, err := core.Data[string](ctx, s.c, &core.Request{Op: op, Path: core.P("msg_id", msgID), Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return err
	}
	if res != "success" {
		return &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "data is " + res + ", not success"}
	}
	return nil
}

// editedMessage is new_msg: the type and the fields an edit may change.
func editedMessage(op string, m Message) (map[string]any, error) {
	if m == nil {
		return nil, core.Invalid(op, "Msg", "nil")
	}
	out := map[string]any{"type": m.Type()}
	switch b := m.(type) {
	case CommandBody:
		return nil, core.Invalid(op, "Msg", "command messages cannot be edited")
	case TextBody, CustomBody:
		if err := checkMessage(op, m); err != nil {
			return nil, err
		}
		if t, ok := b.(TextBody); ok {
			out["msg"] = t.Msg
		} else if c := b.(CustomBody); c.Event != "" || c.Exts != nil {
			if c.Event != "" {
				out["customEvent"] = c.Event
			}
			if c.Exts != nil {
				out["customExts"] = c.Exts
			}
		}
	}
	return out, nil
}
