package messages

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Target is who a message goes to: make one with ToUsers, ToGroups,
// ToGroupMembers, ToChatrooms or ToChatroomMembers and set the options
// its type documents. From "" sends as admin (the server's default).
type Target interface {
	plan() sendPlan
}

// Level is a chatroom message's priority: under load the server drops
// low ones first.
type Level string

// Chatroom message levels; "" is the server's default, normal.
const (
	High   Level = "high"
	Normal Level = "normal"
	Low    Level = "low"
)

// UsersTarget sends one-to-one messages to users (at most 600 a call; Send
// splits larger lists).
type UsersTarget struct {
	From  string
	Users []string
	// SyncDevice copies the message to the sender's online devices.
	SyncDevice bool
	// OnlineOnly delivers to online receivers only (routetype ROUTE_ONLINE).
	OnlineOnly bool
	// RoamIgnoreUsers do not get the message when they pull roaming history.
	RoamIgnoreUsers []string
	// Env routes callbacks: 1 to 8 letters and digits.
	Env string
}

// ToUsers sends to users, each one a one-to-one message.
func ToUsers(from string, users ...string) UsersTarget { return UsersTarget{From: from, Users: users} }

// GroupsTarget sends to groups (at most 3 a call; Send splits larger lists).
type GroupsTarget struct {
	From   string
	Groups []string
	// NeedAck asks for read receipts (need_group_ack).
	NeedAck    bool
	OnlineOnly bool
	// RoamIgnoreUsers (at most 20) do not get it when pulling roaming history.
	RoamIgnoreUsers []string
	Env             string
}

// ToGroups sends to groups.
func ToGroups(from string, groups ...string) GroupsTarget {
	return GroupsTarget{From: from, Groups: groups}
}

// GroupMembersTarget sends a targeted message to some members of one group:
// only they see it (at most 20 users a call; Send splits larger lists, each
// call a message of its own).
type GroupMembersTarget struct {
	From  string
	Group string
	Users []string
}

// ToGroupMembers sends to the named members of a group only.
func ToGroupMembers(from, group string, users ...string) GroupMembersTarget {
	return GroupMembersTarget{From: from, Group: group, Users: users}
}

// ChatroomsTarget sends to chatrooms (at most 10 a call; Send splits).
type ChatroomsTarget struct {
	From      string
	Chatrooms []string
	Level     Level
	// RoamIgnoreUsers (at most 20) do not get it when pulling roaming history.
	RoamIgnoreUsers []string
}

// ToChatrooms sends to chatrooms.
func ToChatrooms(from string, rooms ...string) ChatroomsTarget {
	return ChatroomsTarget{From: from, Chatrooms: rooms}
}

// ChatroomMembersTarget sends a targeted message to some members of one
// chatroom (at most 20 users a call; Send splits).
type ChatroomMembersTarget struct {
	From     string
	Chatroom string
	Users    []string
	Level    Level
}

// ToChatroomMembers sends to the named members of a chatroom only.
func ToChatroomMembers(from, room string, users ...string) ChatroomMembersTarget {
	return ChatroomMembersTarget{From: from, Chatroom: room, Users: users}
}

// sendBody is the documented send request.
type sendBody struct {
	From       string         `json:"from,omitempty"`
	To         []string       `json:"to"`
	Type       string         `json:"type"`
	Body       Message        `json:"body"`
	Ext        map[string]any `json:"ext,omitempty"`
	Users      []string       `json:"users,omitempty"`
	SyncDevice bool           `json:"sync_device,omitempty"`
	RouteType  string         `json:"routetype,omitempty"`
	RoamIgnore []string       `json:"roam_ignore_users,omitempty"`
	NeedAck    bool           `json:"need_group_ack,omitempty"`
	Level      Level          `json:"chatroom_msg_level,omitempty"`
	Env        string         `json:"env,omitempty"`
}

func newSendBody(from string, to []string, m Message) *sendBody {
	return &sendBody{From: from, To: to, Type: m.Type(), Body: m, Ext: m.extension()}
}

func routeType(onlineOnly bool) string {
	if onlineOnly {
		return "ROUTE_ONLINE"
	}
	return ""
}

// sendPlan is how a target becomes calls: the op, the field its targets
// fill (split by that field's cap), the request of one chunk.
type sendPlan struct {
	op      *catalog.Op
	field   string   // "to" or "users"
	targets []string // the items the result reports on
	users   bool     // targets are user IDs: case-insensitive
	check   func() error
	body    func(chunk []string, m Message) *sendBody
	// one names the single group or room of a targeted send: every user
	// of a call gets that call's message ID.
	one string
}

func (t UsersTarget) plan() sendPlan {
	op := catalog.MessagesSendToUsers
	return sendPlan{op: op, field: "to", targets: t.Users, users: true,
		check: func() error { return checkOptions(op, t.From, t.RoamIgnoreUsers, "", t.Env) },
		body: func(chunk []string, m Message) *sendBody {
			b := newSendBody(t.From, chunk, m)
			b.SyncDevice, b.RouteType, b.RoamIgnore, b.Env = t.SyncDevice, routeType(t.OnlineOnly), t.RoamIgnoreUsers, t.Env
			return b
		}}
}

func (t GroupsTarget) plan() sendPlan {
	op := catalog.MessagesSendToGroups
	return sendPlan{op: op, field: "to", targets: t.Groups,
		check: func() error { return checkOptions(op, t.From, t.RoamIgnoreUsers, "", t.Env) },
		body: func(chunk []string, m Message) *sendBody {
			b := newSendBody(t.From, chunk, m)
			b.NeedAck, b.RouteType, b.RoamIgnore, b.Env = t.NeedAck, routeType(t.OnlineOnly), t.RoamIgnoreUsers, t.Env
			return b
		}}
}

func (t GroupMembersTarget) plan() sendPlan {
	op := catalog.MessagesSendToGroupMembers
	return sendPlan{op: op, field: "users", targets: t.Users, users: true, one: t.Group,
		check: func() error { return checkOne(op, "Group", t.Group, t.From, "") },
		body: func(chunk []string, m Message) *sendBody {
			b := newSendBody(t.From, []string{t.Group}, m)
			b.Users = chunk
			return b
		}}
}

func (t ChatroomsTarget) plan() sendPlan {
	op := catalog.MessagesSendToChatrooms
	return sendPlan{op: op, field: "to", targets: t.Chatrooms,
		check: func() error { return checkOptions(op, t.From, t.RoamIgnoreUsers, t.Level, "") },
		body: func(chunk []string, m Message) *sendBody {
			b := newSendBody(t.From, chunk, m)
			b.Level, b.RoamIgnore = t.Level, t.RoamIgnoreUsers
			return b
		}}
}

func (t ChatroomMembersTarget) plan() sendPlan {
	op := catalog.MessagesSendToChatroomMembers
	return sendPlan{op: op, field: "users", targets: t.Users, users: true, one: t.Chatroom,
		check: func() error { return checkOne(op, "Chatroom", t.Chatroom, t.From, t.Level) },
		body: func(chunk []string, m Message) *sendBody {
			b := newSendBody(t.From, []string{t.Chatroom}, m)
			b.Users, b.Level = chunk, t.Level
			return b
		}}
}

// checkOptions checks a target's fields other than its targets.
func checkOptions(op *catalog.Op, from string, roamIgnore []string, level Level, env string) error {
	if err := checkFrom(op.ID, from); err != nil {
		return err
	}
	if err := checkUsers(op.ID, "RoamIgnoreUsers", roamIgnore); err != nil {
		return err
	}
	if n := op.MaxItems("roam_ignore_users"); n > 0 && len(roamIgnore) > n {
		return core.Invalid(op.ID, "RoamIgnoreUsers", "%d users, at most %d allowed", len(roamIgnore), n)
	}
	switch level {
	case "", High, Normal, Low:
	default:
		return core.Invalid(op.ID, "Level", "%q is not high, normal or low", level)
	}
	return checkEnv(op.ID, env)
}

// checkOne checks the group or room of a targeted send.
func checkOne(op *catalog.Op, field, id, from string, level Level) error {
	if err := checkID(op.ID, field, id); err != nil {
		return err
	}
	return checkOptions(op, from, nil, level, "")
}

// Send sends msg to every target of to: 发送单聊消息, 发送群聊消息, 发送群组定向
// 消息, 发送聊天室消息 or 发送聊天室定向消息, by the target's type. A list above
// the per-call cap (600 users, 3 groups, 10 chatrooms, 20 members) is split
// into calls sent concurrently within the quota, each charged for its own
// targets (a call to N users costs N messages of the 6000/min quota).
//
// The result has one item per target in input order (per user for a
// targeted send): Done with the message ID the server gave it, Failed with
// the server's reason (a refused call, or a target its answer left out),
// Unknown when the call was sent but no answer came (it is never resent:
// the server may have delivered it), or NotSent. The error is a
// *batch.Error when any target is not Done. Everything is checked before
// the first call: the message's documented fields, its body and ext
// together at most MaxMessageBytes, the IDs, a target given twice.
//
//meta:operation POST /messages/users (messages.SendToUsers)
//meta:operation POST /messages/chatgroups (messages.SendToGroups)
//meta:operation POST /messages/chatgroups/users (messages.SendToGroupMembers)
//meta:operation POST /messages/chatrooms (messages.SendToChatrooms)
//meta:operation POST /messages/chatrooms/users (messages.SendToChatroomMembers)
func (s *Service) Send(ctx context.Context, to Target, msg Message, opts ...option.Call) (*batch.Result[string, string], error) {
	if to == nil {
		return nil, core.Invalid("messages.Send", "to", "nil")
	}
	p := to.plan()
	op := p.op
	if err := checkMessage(op.ID, msg); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, string]{
		Op: op, Cap: p.field, Field: p.field,
		Key:   p.key,
		Check: p.checkTarget,
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[string], *core.Request, error) {
			var out struct {
				Data *map[string]string `json:"data"`
			}
			r := &core.Request{Op: op, Body: p.body(chunk, msg), Result: &out, Opts: set}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			if out.Data == nil {
				return nil, r, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data in the answer"}
			}
			return p.outcomes(chunk, *out.Data), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, p.targets)
}

func (p *sendPlan) key(id string) string {
	if p.users {
		return core.FoldKey(id)
	}
	return id
}

func (p *sendPlan) checkTarget(id string) error {
	if p.users {
		return checkUser(p.op.ID, "target", id)
	}
	return checkID(p.op.ID, "target", id)
}

// outcomes maps the answer's target → message ID back to the chunk.
func (p *sendPlan) outcomes(chunk []string, data map[string]string) []core.Outcome[string] {
	ids := make(map[string]string, len(data))
	for k, v := range data {
		ids[p.key(k)] = v
	}
	out := make([]core.Outcome[string], len(chunk))
	for i, t := range chunk {
		if p.one != "" {
			t = p.one
		}
		if id, ok := ids[p.key(t)]; ok && id != "" {
			out[i] = core.Accepted(id)
		} else {
			out[i] = core.Refused[string](core.Omitted)
		}
	}
	return out
}

// BroadcastTarget is who a broadcast goes to: AllChatrooms, AllUsers or
// OnlineUsers.
type BroadcastTarget interface {
	broadcast() (*catalog.Op, broadcastBody)
}

// ChatroomsBroadcast goes to every active chatroom of the app (one with a
// member and a message).
type ChatroomsBroadcast struct {
	From  string
	Level Level
}

// AllChatrooms broadcasts to every active chatroom.
func AllChatrooms(from string) ChatroomsBroadcast { return ChatroomsBroadcast{From: from} }

// UsersBroadcast goes to every user of the app, stored offline and pushed.
type UsersBroadcast struct{ From string }

// AllUsers broadcasts to every user of the app.
func AllUsers(from string) UsersBroadcast { return UsersBroadcast{From: from} }

// OnlineBroadcast goes to the users online at the time, not stored offline.
type OnlineBroadcast struct{ From string }

// OnlineUsers broadcasts to the online users of the app.
func OnlineUsers(from string) OnlineBroadcast { return OnlineBroadcast{From: from} }

// broadcastBody is the documented broadcast request: msg is the type and
// the body's fields in one object.
type broadcastBody struct {
	TargetType string         `json:"target_type,omitempty"`
	From       string         `json:"from,omitempty"`
	Msg        flatMessage    `json:"msg"`
	Ext        map[string]any `json:"ext,omitempty"`
	Level      Level          `json:"chatroom_msg_level,omitempty"`
}

func (t ChatroomsBroadcast) broadcast() (*catalog.Op, broadcastBody) {
	return catalog.MessagesBroadcastToChatrooms, broadcastBody{From: t.From, Level: t.Level}
}

func (t UsersBroadcast) broadcast() (*catalog.Op, broadcastBody) {
	return catalog.MessagesBroadcastToAllUsers, broadcastBody{TargetType: "users", From: t.From}
}

func (t OnlineBroadcast) broadcast() (*catalog.Op, broadcastBody) {
	return catalog.MessagesBroadcastToOnlineUsers, broadcastBody{From: t.From}
}

// flatMessage encodes a message as {type, ...the body's fields}.
type flatMessage struct{ m Message }

func (f flatMessage) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(f.m)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	fields["type"], _ = json.Marshal(f.m.Type())
	return json.Marshal(fields)
}

// Broadcast sends msg to everyone the target names: 发送聊天室全局广播消息,
// 向 app 所有用户发送广播消息 or 向 app 在线用户发送广播消息. It returns the
// broadcast's ID; broadcasts have no message ID. Their quotas are small
// (one broadcast to all users per 30 minutes and 3 a day, for example) and
// the feature must be enabled for the app.
//
//meta:operation POST /messages/chatrooms/broadcast (messages.BroadcastToChatrooms)
//meta:operation POST /messages/broadcast (messages.BroadcastToAllUsers)
//meta:operation POST /messages/users/broadcast (messages.BroadcastToOnlineUsers)
func (s *Service) Broadcast(ctx context.Context, to BroadcastTarget, msg Message, opts ...option.Call) (int64, error) {
	if to == nil {
		return 0, core.Invalid("messages.Broadcast", "to", "nil")
	}
	op, body := to.broadcast()
	if err := checkMessage(op.ID, msg); err != nil {
		return 0, err
	}
	if err := checkOptions(op, body.From, nil, body.Level, ""); err != nil {
		return 0, err
	}
	body.Msg, body.Ext = flatMessage{msg}, msg.extension()
	data, err := core.Data[struct {
		ID core.Int64 `json:"id"`
	}](ctx, s.c, &core.Request{Op: op, Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return 0, err
	}
	if data.ID == 0 {
		return 0, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no broadcast id in the answer"}
	}
	return int64(data.ID), nil
}

// ChatType is a conversation's type.
type ChatType string

// Conversation types.
const (
	Chat      ChatType = "chat"
	GroupChat ChatType = "groupchat"
	Chatroom  ChatType = "chatroom"
)

func checkChatType(op, field string, t ChatType, allowed ...ChatType) error {
	for _, a := range allowed {
		if t == a {
			return nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return core.Invalid(op, field, "%q is not one of %s", t, strings.Join(names, ", "))
}
