package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/messages"
)

// The messages module: sends, recall, history files and conversations.
func init() {
	addModule("messages",
		apiCommand{name: "send", args: "TO...", minArgs: 1, maxArgs: -1,
			summary: "send a text or custom message to users, groups or chatrooms (发送单聊消息, 发送群聊消息, 发送聊天室消息)",
			help: `TO are user IDs, or with --chat-type groupchat group IDs, or with chatroom
chatroom IDs. Long lists are split into calls of the documented size (600
users, 3 groups, 10 chatrooms); a send to N users costs N messages of the
quota. Prints one row per target: done with its message ID, or failed with
the server's reason. The exit code is 0 when some were done.`,
			setup: func(fs *flag.FlagSet) apiCall {
				from := fs.String("from", "", "sender's user ID (default: admin)")
				chatType := fs.String("chat-type", "chat", "chat (users), groupchat (groups) or chatroom")
				spec := messageFlags(fs)
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					sp, err := spec.spec()
					if err != nil {
						return nil, err
					}
					to, msg, err := buildSend(*chatType, *from, x.args, sp)
					if err != nil {
						return nil, err
					}
					return perNames(c.Messages.Send(ctx, to, msg))
				}
			}},
		apiCommand{name: "recall", args: "MSG_ID TO", minArgs: 2, maxArgs: 2,
			summary: "recall a sent message for every party, attachment included (撤回消息)",
			help:    "TO is the message's receiver: the user, group or chatroom ID.",
			setup: func(fs *flag.FlagSet) apiCall {
				var it messages.RecallItem
				chatType := fs.String("chat-type", "chat", "chat, groupchat or chatroom")
				fs.StringVar(&it.From, "from", "", "who recalls it (default: admin)")
				fs.BoolVar(&it.Force, "force", false, "recall it even past the recall window (2 minutes by default)")
				info := fs.String("info", "", "free text the recall carries")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					it.MsgID, it.To, it.ChatType = x.args[0], x.args[1], messages.ChatType(*chatType)
					return c.Messages.Recall(ctx, it, *info)
				}
			}},
		apiCommand{name: "history", args: "HOUR", minArgs: 1, maxArgs: 1,
			summary: "links to the history file of one hour of messages (获取历史消息记录文件)",
			help: `HOUR is yyyyMMddHH (e.g. 2026120115) read in --zone, or an RFC 3339 time.
The file is gzipped JSON, one record per message; only the last 3 days can
be fetched, and an hour is complete about a day later.`,
			setup: func(fs *flag.FlagSet) apiCall {
				zone := fs.String("zone", "beijing", "zone of the hours: beijing (China clusters, UTC+8) or utc (overseas clusters)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					loc, err := historyZone(*zone)
					if err != nil {
						return nil, err
					}
					hour, err := parseHour(x.args[0], loc)
					if err != nil {
						return nil, err
					}
					return c.Messages.HistoryFile(ctx, hour, loc)
				}
			}},
		apiCommand{name: "conversations", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "a user's server-side conversation list (拉取会话列表)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				list, err := c.Messages.Conversations(ctx, x.args[0])
				if err != nil {
					return nil, err
				}
				return list.Conversations, nil
			})},
		apiCommand{name: "delete-conversation", args: "USERNAME PEER", minArgs: 2, maxArgs: 2,
			summary: "delete a conversation from one user's list only (单向删除会话)",
			help:    "PEER is the other user, or with --chat-type groupchat the group. At most 5 a minute per user.",
			setup: func(fs *flag.FlagSet) apiCall {
				chatType := fs.String("chat-type", "chat", "chat or groupchat")
				roam := fs.Bool("delete-roam", false, "also delete the user's roaming messages of it")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					err := c.Messages.DeleteConversation(ctx, x.args[0], x.args[1], messages.ChatType(*chatType), *roam)
					return nil, err
				}
			}},
	)
}

// messageSpec is a message as the command line or a job's row gives it.
type messageSpec struct {
	// Type is txt (the default) or custom.
	Type string `json:"type,omitempty"`
	// Text is a txt message's text.
	Text string `json:"text,omitempty"`
	// Event and Exts are a custom message's event and fields.
	Event string            `json:"custom_event,omitempty"`
	Exts  map[string]string `json:"custom_exts,omitempty"`
	// Ext are the extension fields sent beside the body.
	Ext map[string]any `json:"ext,omitempty"`
}

// message builds the SDK's message.
func (s messageSpec) message() (messages.Message, error) {
	switch s.Type {
	case "", "txt", "text":
		if s.Event != "" || len(s.Exts) > 0 {
			return nil, usagef("custom_event and custom_exts are for custom messages")
		}
		m := messages.Text(s.Text)
		m.Ext = s.Ext
		return m, nil
	case "custom":
		if s.Text != "" {
			return nil, usagef("a custom message has no text: give custom_event and custom_exts")
		}
		m := messages.Custom(s.Event, s.Exts)
		m.Ext = s.Ext
		return m, nil
	}
	return nil, usagef("message type %q: want txt or custom", s.Type)
}

// target builds the SDK's target of a send from the chat type.
func target(chatType, from string, to []string) (messages.Target, error) {
	switch messages.ChatType(chatType) {
	case "", messages.Chat:
		return messages.ToUsers(from, to...), nil
	case messages.GroupChat:
		return messages.ToGroups(from, to...), nil
	case messages.Chatroom:
		return messages.ToChatrooms(from, to...), nil
	}
	return nil, usagef("chat type %q: want chat, groupchat or chatroom", chatType)
}

// buildSend is the target and message of one send.
func buildSend(chatType, from string, to []string, spec messageSpec) (messages.Target, messages.Message, error) {
	t, err := target(chatType, from, to)
	if err != nil {
		return nil, nil, err
	}
	m, err := spec.message()
	return t, m, err
}

// messageSpecFlags are the flags that make a message: --text, or
// --custom-event and --custom-ext, and --ext.
type messageSpecFlags struct {
	text, event, ext *string
	exts             kvFlag
}

// messageFlags declares the flags of a message.
func messageFlags(fs *flag.FlagSet) *messageSpecFlags {
	f := &messageSpecFlags{exts: kvFlag{}}
	f.text = fs.String("text", "", "a text message's text")
	f.event = fs.String("custom-event", "", "send a custom message with this event")
	fs.Var(f.exts, "custom-ext", "KEY=VALUE field of a custom message (repeatable)")
	f.ext = fs.String("ext", "", `extension fields as a JSON object, e.g. {"em_ignore_notification": true}`)
	return f
}

// spec reads the flags; a custom event or field makes a custom message.
func (f *messageSpecFlags) spec() (messageSpec, error) {
	s := messageSpec{Text: *f.text, Event: *f.event}
	if *f.event != "" || len(f.exts) > 0 {
		s.Type, s.Exts = "custom", f.exts
	}
	if *f.ext != "" {
		if err := json.Unmarshal([]byte(*f.ext), &s.Ext); err != nil {
			return s, usagef("--ext: not a JSON object: %v", err)
		}
	}
	return s, nil
}

// kvFlag is a repeatable KEY=VALUE flag.
type kvFlag map[string]string

// String lists the fields as KEY=VALUE, sorted.
func (f kvFlag) String() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k+"="+f[k])
	}
	sort.Strings(keys)
	return strings.Join(keys, ",")
}

// Set adds one KEY=VALUE.
func (f kvFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	f[k] = val
	return nil
}

// historyZone is the zone history hours are read in.
func historyZone(name string) (*time.Location, error) {
	switch strings.ToLower(name) {
	case "beijing", "utc+8", "":
		return messages.Beijing, nil
	case "utc":
		return time.UTC, nil
	}
	return nil, usagef("--zone %q: want beijing or utc", name)
}

// parseHour reads yyyyMMddHH in loc, or an RFC 3339 time.
func parseHour(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation("2006010215", s, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("hour %q: want yyyyMMddHH or an RFC 3339 time", s)
}
