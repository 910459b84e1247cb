package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"unicode"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/option"
)

// tagField is the ext field every message of send-messages carries: a tag
// of its row, which a resumed job searches for to tell whether a send cut
// by an interruption was delivered.
const tagField = "easemob_cli_job"

// messageRow is one row of send-messages: a message to one or many
// recipients. The job splits it into one item per recipient, so that a
// resumed run sends each recipient's copy once.
type messageRow struct {
	// ID is the row's key in the journal; "" takes a digest of the row.
	ID       string     `json:"id,omitempty"`
	From     string     `json:"from,omitempty"`
	To       recipients `json:"to"`
	ChatType string     `json:"chat_type,omitempty"`
	messageSpec
	// row and tag are the key and tag of the row an item was split from.
	row, tag string
}

// recipients are one or many IDs: a JSON list, or one string of IDs
// separated by spaces, commas or semicolons (as a CSV cell holds them).
type recipients []string

// UnmarshalJSON reads a list or a separated string.
func (r *recipients) UnmarshalJSON(b []byte) error {
	var list []string
	if json.Unmarshal(b, &list) == nil {
		*r = list
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("to: want IDs separated by spaces or ';', or a JSON list")
	}
	*r = strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ';' || unicode.IsSpace(c) })
	return nil
}

// The messages module's bulk jobs.
func init() {
	addJob(&job[messageRow]{
		name:    "send-messages",
		summary: "send messages from a CSV or JSONL file, each to one or many recipients (发送单聊消息, 发送群聊消息, 发送聊天室消息), resumable",
		fields: `id (optional; default a digest of the row), from (optional; default admin),
  to (IDs separated by spaces or ';', or a JSON list), chat_type (chat, groupchat
  or chatroom; default chat), type (txt or custom; default txt), text,
  custom_event, custom_exts (a JSON object), ext (a JSON object).
  Each recipient of a row is an item (key ID>RECIPIENT): a send to N users
  costs N messages of the quota. Every message carries ext.` + tagField + `,
  the row's tag, which a resumed run searches for (搜索消息) to tell whether a
  send cut by an interruption was delivered. Where search cannot tell (an
  app without the search service, custom messages, sends as admin to groups
  or chatrooms) such items are reported of unknown outcome, not sent twice.`,
		group: easemob.GroupMessagesSendUsers,
		chunk: catalog.MessagesSendToUsers.MaxItems("to"),
		key:   messageRow.key,
		units: func(messageRow) int { return 1 },
		split: splitRow,
		send: func(ctx context.Context, c *easemob.Client, chunk []messageRow) ([]outcome, error) {
			return sendParts(chunk, func(m messageRow) string { return m.row }, func(part []messageRow) ([]outcome, error) {
				to := make([]string, len(part))
				for i, m := range part {
					to[i] = m.To[0]
				}
				first := part[0]
				spec := first.messageSpec
				spec.Ext = maps.Clone(spec.Ext)
				if spec.Ext == nil {
					spec.Ext = map[string]any{}
				}
				spec.Ext[tagField] = first.tag
				t, msg, err := buildSend(first.ChatType, first.From, to, spec)
				if err != nil {
					return nil, err
				}
				return fromBatch(c.Messages.Send(ctx, t, msg, option.Bulk()))
			}), nil
		},
		check: delivered,
	})
}

// key is a row's key, or an item's: the row's and the recipient.
func (m messageRow) key() string {
	switch {
	case m.row != "":
		return m.row + ">" + m.recipientKey(m.To[0])
	case m.ID != "":
		return m.ID
	}
	return "h" + m.digest()[:12]
}

// recipientKey folds user IDs, which are case-insensitive; group and
// chatroom IDs are not.
func (m messageRow) recipientKey(id string) string {
	if m.ChatType == "" || m.ChatType == string(messages.Chat) {
		return strings.ToLower(id)
	}
	return id
}

// digest is a hash of the row's content.
func (m messageRow) digest() string {
	b, _ := json.Marshal(m) // maps marshal in key order; nothing here fails to marshal
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// splitRow checks a row and makes one item per recipient. The tag is the
// row's key and content hashed: rows of two files with one ID but other
// content do not pass for each other.
func splitRow(m messageRow) ([]messageRow, error) {
	if len(m.To) == 0 {
		return nil, errors.New("to: no recipient")
	}
	if _, _, err := buildSend(m.ChatType, m.From, m.To, m.messageSpec); err != nil {
		return nil, err
	}
	key := m.key()
	sum := sha256.Sum256([]byte(key + "\x00" + m.digest()))
	tag := "emjob" + hex.EncodeToString(sum[:10])
	seen := map[string]bool{}
	out := make([]messageRow, len(m.To))
	for i, to := range m.To {
		if seen[m.recipientKey(to)] {
			return nil, fmt.Errorf("to: %q twice", to)
		}
		seen[m.recipientKey(to)] = true
		p := m
		p.To, p.row, p.tag = recipients{to}, key, tag
		out[i] = p
	}
	return out, nil
}

// delivered searches the server's message history for the item's message:
// as its recipient for a one-to-one message, as its sender in the group or
// chatroom otherwise.
func delivered(ctx context.Context, c *easemob.Client, m messageRow) (bool, error) {
	to := m.To[0]
	q := messages.SearchQuery{Keywords: []string{m.tag}, Ext: "only", Size: messages.MaxSearchPageSize}
	user := to
	switch messages.ChatType(m.ChatType) {
	case messages.GroupChat:
		user, q.Groups = m.From, []string{to}
	case messages.Chatroom:
		user, q.Chatrooms = m.From, []string{to}
	}
	switch {
	case m.Type == "custom":
		return false, errors.New("custom messages cannot be searched for")
	case user == "":
		return false, errors.New("a send as admin to a group or chatroom cannot be searched for")
	}
	res, err := c.Messages.Search(ctx, user, q, option.Bulk())
	if err != nil {
		return false, err
	}
	for _, h := range res.Hits {
		if m.recipientKey(h.Receiver) == m.recipientKey(to) && bytes.Contains(h.Ext, []byte(m.tag)) {
			return true, nil
		}
	}
	return false, nil
}
