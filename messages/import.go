package messages

import (
	"context"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Import is a message to write into a conversation's history as if it
// had been sent, without delivering it.
type Import struct {
	From string
	// To is the receiving user (ImportToUser) or group (ImportToGroup).
	To  string
	Msg Message
	// Time is when it was sent; zero means now. Imports into one
	// conversation must come in time order.
	Time time.Time
	// NeedDownload has the server fetch the body's URL into its own file
	// storage (the URL must be public).
	NeedDownload bool
	// AckRead marks the conversation the import creates as read (doc-v2).
	AckRead bool
}

type importBody struct {
	From         string         `json:"from"`
	Target       string         `json:"target"`
	Type         string         `json:"type"`
	Body         Message        `json:"body"`
	Ext          map[string]any `json:"ext,omitempty"`
	Timestamp    int64          `json:"msg_timestamp,omitempty"`
	NeedDownload bool           `json:"need_download,omitempty"`
	AckRead      bool           `json:"is_ack_read,omitempty"`
}

// ImportToUser imports a one-to-one message (导入单聊消息) and returns its
// message ID.
//
//meta:operation POST /messages/users/import (messages.ImportToUser)
func (s *Service) ImportToUser(ctx context.Context, m Import, opts ...option.Call) (string, error) {
	return s.importMessage(ctx, catalog.MessagesImportToUser, m, opts)
}

// ImportToGroup imports a group message (导入群聊消息) and returns its
// message ID.
//
//meta:operation POST /messages/chatgroups/import (messages.ImportToGroup)
func (s *Service) ImportToGroup(ctx context.Context, m Import, opts ...option.Call) (string, error) {
	return s.importMessage(ctx, catalog.MessagesImportToGroup, m, opts)
}

func (s *Service) importMessage(ctx context.Context, op *catalog.Op, m Import, opts []option.Call) (string, error) {
	if err := checkUser(op.ID, "From", m.From); err != nil {
		return "", err
	}
	check := checkID
	if op == catalog.MessagesImportToUser {
		check = checkUser
	}
	if err := check(op.ID, "To", m.To); err != nil {
		return "", err
	}
	if err := checkMessage(op.ID, m.Msg); err != nil {
		return "", err
	}
	body := importBody{From: m.From, Target: m.To, Type: m.Msg.Type(), Body: m.Msg, Ext: m.Msg.extension(),
		NeedDownload: m.NeedDownload, AckRead: m.AckRead}
	if !m.Time.IsZero() {
		// The docs refuse 0 and anything below 1000.
		if body.Timestamp = m.Time.UnixMilli(); body.Timestamp < 1000 {
			return "", core.Invalid(op.ID, "Time", "%v is before the documented minimum (1000 ms after the epoch)", m.Time)
		}
	}
	data, err := core.Data[struct {
		MsgID string `json:"msg_id"`
	}](ctx, s.c, &core.Request{Op: op, Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return "", err
	}
	if data.MsgID == "" {
		return "", &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no msg_id in the answer"}
	}
	return data.MsgID, nil
}
