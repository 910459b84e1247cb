package messages

import (
	"context"
	"encoding/json"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// DeleteConversation deletes a conversation from one user's list only
// (单向删除会话); others still see it. peer is the other user (Chat) or
// the group (GroupChat); deleteRoam also deletes the user's roaming
// messages of it. The quota is 5 calls a minute per user and 100 a
// second per app, both at once.
//
//meta:operation DELETE /users/{username}/user_channel (conversations.DeleteForUser)
func (s *Service) DeleteConversation(ctx context.Context, username, peer string, t ChatType, deleteRoam bool, opts ...option.Call) error {
	op := catalog.ConversationsDeleteForUser
	if err := checkUser(op.ID, "username", username); err != nil {
		return err
	}
	if err := checkChatType(op.ID, "type", t, Chat, GroupChat); err != nil {
		return err
	}
	check := checkID
	if t == Chat {
		check = checkUser
	}
	if err := check(op.ID, "peer", peer); err != nil {
		return err
	}
	body := struct {
		Channel    string   `json:"channel"`
		Type       ChatType `json:"type"`
		DeleteRoam bool     `json:"delete_roam"`
	}{peer, t, deleteRoam}
	res, err := core.Data[struct {
		Result string `json:"result"`
	}](ctx, s.c, &core.Request{Op: op, Path: core.P("username", username), Body: body, Opts: option.Resolve(opts...)})
	if err != nil {
		return err
	}
	if res.Result != "ok" {
		return &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "result is " + res.Result + ", not ok"}
	}
	return nil
}

// Conversation is one entry of a user's server-side conversation list.
type Conversation struct {
	// ID is the peer user or the group.
	ID     string
	Type   ChatType
	Unread int
	// Extra holds every other field (the last message, for instance).
	Extra map[string]json.RawMessage
}

var conversationFields = []string{"session_to", "session_type", "unread_num"}

// UnmarshalJSON reads the fields the client SDKs document.
func (c *Conversation) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	n, _ := o.Int64("unread_num")
	*c = Conversation{ID: o.String("session_to"), Type: ChatType(o.String("session_type")), Unread: int(n)}
	c.Extra = o.Rest(conversationFields...)
	return nil
}

// ConversationList is a user's server-side conversation list.
type ConversationList struct {
	Conversations []Conversation
	// Data is the answer's whole data object, as sent.
	Data map[string]json.RawMessage
}

// Conversations returns a user's server-side conversation list (拉取会话
// 列表). Experimental: the REST API documents no parameters or answer for
// it, only its quota (5 a minute per user, 100 a second per app); the list
// is read from data.channel_infos as the client SDKs name it, and the raw
// data is kept. The server keeps conversation lists only when enabled for
// the app, and REST sends are written to them only when that is enabled too.
//
//meta:operation GET /user/{username}/user_channels (conversations.List)
func (s *Service) Conversations(ctx context.Context, username string, opts ...option.Call) (*ConversationList, error) {
	op := catalog.ConversationsList
	if err := checkUser(op.ID, "username", username); err != nil {
		return nil, err
	}
	data, err := core.Data[map[string]json.RawMessage](ctx, s.c, &core.Request{Op: op, Path: core.P("username", username), Opts: option.Resolve(opts...)})
	if err != nil {
		return nil, err
	}
	out := &ConversationList{Data: data}
	if raw := data["channel_infos"]; raw != nil {
		if err := json.Unmarshal(raw, &out.Conversations); err != nil {
			return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "channel_infos is not a list of conversations", Err: err}
		}
	}
	return out, nil
}
