package messages

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Reactions (emoji replies) work on one-to-one and group messages; a user
// adds a given reaction to a message once, and a message holds at most 20
// distinct reactions. A reaction is named by the client's emoji ID, at
// most 128 characters. The feature must be enabled for the app.

// MaxReactionChars bounds an emoji ID.
const MaxReactionChars = 128

// Reaction is a reaction as the server recorded it.
type Reaction struct {
	ID       string
	MsgID    string
	ChatType ChatType
	// GroupID is the group of a group message, "" for a one-to-one one.
	GroupID  string
	Reaction string
	Created  time.Time
	Updated  time.Time
}

// UnmarshalJSON reads the documented fields, the times as ISO-8601 (the
// docs' table spells them createAt/updateAt, their examples
// createdAt/updatedAt: both are read).
func (r *Reaction) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*r = Reaction{ID: o.String("id"), MsgID: o.String("msgId"), ChatType: ChatType(o.String("msgType")),
		GroupID: o.String("groupId"), Reaction: o.String("reaction")}
	if r.Created, err = isoTime(o, "createdAt", "createAt"); err != nil {
		return err
	}
	r.Updated, err = isoTime(o, "updatedAt", "updateAt")
	return err
}

func isoTime(o core.Object, keys ...string) (time.Time, error) {
	for _, k := range keys {
		if s := o.String(k); s != "" {
			return time.Parse(time.RFC3339Nano, s)
		}
	}
	return time.Time{}, nil
}

func checkReaction(op, user, msgID, reaction string) error {
	if err := checkUser(op, "user", user); err != nil {
		return err
	}
	if err := checkID(op, "msgID", msgID); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(reaction); n == 0 || n > MaxReactionChars {
		return core.Invalid(op, "reaction", "%d characters, 1 to %d allowed", n, MaxReactionChars)
	}
	return nil
}

// AddReaction adds a reaction of user to a message (创建/追加 Reaction).
//
//meta:operation POST /reaction/user/{userId} (reactions.Add)
func (s *Service) AddReaction(ctx context.Context, user, msgID, reaction string, opts ...option.Call) (*Reaction, error) {
	op := catalog.ReactionsAdd
	if err := checkReaction(op.ID, user, msgID, reaction); err != nil {
		return nil, err
	}
	r := &core.Request{Op: op, Path: core.P("userId", user), Body: map[string]string{"msgId": msgID, "message": reaction},
		Opts: option.Resolve(opts...)}
	return statusData[Reaction](ctx, s.c, r, true)
}

// DeleteReaction removes user's own reaction from a message (删除 Reaction).
//
//meta:operation DELETE /reaction/user/{userId} (reactions.Delete)
func (s *Service) DeleteReaction(ctx context.Context, user, msgID, reaction string, opts ...option.Call) error {
	op := catalog.ReactionsDelete
	if err := checkReaction(op.ID, user, msgID, reaction); err != nil {
		return err
	}
	return statusOK(ctx, s.c, &core.Request{Op: op, Path: core.P("userId", user),
		Query: url.Values{"msgId": {msgID}, "message": {reaction}}, Opts: option.Resolve(opts...)})
}

// ReactionSummary is one reaction of a message, as user sees it.
type ReactionSummary struct {
	ID       string   `json:"reactionId"`
	Reaction string   `json:"reaction"`
	Count    int      `json:"count"`
	Reacted  bool     `json:"state"` // the asking user added it
	Users    []string `json:"userList"`
}

// MessageReactions are the reactions of one message. Users of each holds
// the earliest three; ReactionDetail pages through all of them.
type MessageReactions struct {
	MsgID     string            `json:"msgId"`
	Reactions []ReactionSummary `json:"reactionList"`
}

// Reactions lists the reactions of messages as user sees them (根据消息 ID
// 获取 Reaction). group is the group of group messages, "" for one-to-one
// ones. Above 20 message IDs the list is fetched in calls of 20, one after
// another; the first failure ends it.
//
//meta:operation GET /reaction/user/{userId} (reactions.ListByMessages)
func (s *Service) Reactions(ctx context.Context, user, group string, msgIDs []string, opts ...option.Call) ([]MessageReactions, error) {
	op := catalog.ReactionsListByMessages
	if err := checkUser(op.ID, "user", user); err != nil {
		return nil, err
	}
	if len(msgIDs) == 0 {
		return nil, core.Invalid(op.ID, "msgIDs", "empty")
	}
	for _, id := range msgIDs {
		if err := checkID(op.ID, "msgIDs", id); err != nil {
			return nil, err
		}
	}
	q := url.Values{"msgType": {string(Chat)}}
	if group != "" {
		if err := checkID(op.ID, "group", group); err != nil {
			return nil, err
		}
		q = url.Values{"msgType": {string(GroupChat)}, "groupId": {group}}
	}
	var out []MessageReactions
	size := op.MaxItems("msgIdList")
	for start := 0; start < len(msgIDs); start += size {
		chunk := msgIDs[start:min(start+size, len(msgIDs))]
		query := url.Values{"msgIdList": {strings.Join(chunk, ",")}}
		for k, v := range q {
			query[k] = v
		}
		r := &core.Request{Op: op, Path: core.P("userId", user), Query: query, Opts: option.Resolve(opts...)}
		page, err := statusData[[]MessageReactions](ctx, s.c, r, true)
		if err != nil {
			return out, err
		}
		out = append(out, *page...)
	}
	return out, nil
}

// ReactionDetail is one page of the users of one reaction.
type ReactionDetail struct {
	ID       string   `json:"reactionId"`
	Reaction string   `json:"reaction"`
	Count    int      `json:"count"`
	Reacted  bool     `json:"state"`
	Users    []string `json:"userList"`
	// Cursor fetches the next page; empty on the last one.
	Cursor string `json:"cursor"`
}

// DetailParams page through a reaction's users, oldest first.
type DetailParams struct {
	// Limit is the page size, 1 to 50; 0 means the server's 50.
	Limit  int
	Cursor string
}

// ReactionDetail returns one page of the users who added a reaction to a
// message (根据消息 ID 和表情 ID 获取 Reaction 信息).
//
//meta:operation GET /reaction/user/{userId}/detail (reactions.GetDetail)
func (s *Service) ReactionDetail(ctx context.Context, user, msgID, reaction string, p DetailParams, opts ...option.Call) (*ReactionDetail, error) {
	op := catalog.ReactionsGetDetail
	if err := checkReaction(op.ID, user, msgID, reaction); err != nil {
		return nil, err
	}
	q := url.Values{"msgId": {msgID}, "message": {reaction}}
	if p.Limit != 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return statusData[ReactionDetail](ctx, s.c, &core.Request{Op: op, Path: core.P("userId", user), Query: q, Opts: option.Resolve(opts...)}, true)
}

// AllReactionUsers walks every user who added a reaction to a message,
// oldest first, page after page, each paying its quota.
func (s *Service) AllReactionUsers(ctx context.Context, user, msgID, reaction string, p DetailParams, opts ...option.Call) iter.Seq2[string, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]string, string, error) {
		q := p
		q.Cursor = cursor
		d, err := s.ReactionDetail(ctx, user, msgID, reaction, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return d.Users, d.Cursor, nil
	})
}
