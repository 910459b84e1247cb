package easemobtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// reaction is one emoji on one message and who added it, oldest first.
type reaction struct {
	id      string
	name    string
	users   []string
	created time.Time
	updated time.Time
}

// Documented bounds of reactions.
const (
	maxReactions      = 20 // distinct reactions per message
	reactionPreview   = 3  // users listed by ListByMessages
	defaultDetailPage = 50
)

// errReaction is the reaction pages' 400 Bad Request with their text.
func errReaction(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "Bad Request", "ReactionException", desc}
}

var errIllegalReaction = errReaction("the user operation is illegal!")

type reactionRequest struct {
	MsgID   string `json:"msgId"`
	Message string `json:"message"`
}

// reactionArgs reads msgId and message from the body (Add) or the query.
func reactionArgs(q *request) reactionRequest {
	if q.op == catalog.ReactionsAdd {
		req, _ := decodeBody[reactionRequest](q)
		if req == nil {
			return reactionRequest{}
		}
		return *req
	}
	query := q.r.URL.Query()
	return reactionRequest{MsgID: query.Get("msgId"), Message: query.Get("message")}
}

func checkReaction(q *request) *apiError {
	if q.op == catalog.ReactionsAdd {
		if _, aerr := decodeBody[reactionRequest](q); aerr != nil {
			return aerr
		}
	}
	if q.op == catalog.ReactionsGetDetail {
		if s := q.r.URL.Query().Get("limit"); s != "" {
			if n, err := strconv.Atoi(s); err != nil || n > q.op.MaxItems("limit") {
				return errReaction("Limit exceeds the maximum quantity limit")
			}
		}
	}
	return nil
}

// reactionOn finds the message a reaction call names, with the call's
// arguments and user: a one-to-one or group message the user may react to.
func (q *request) reactionOn() (*message, reactionRequest, string, *apiError) {
	args, user := reactionArgs(q), fold(q.param("userId"))
	if _, ok := q.w.users.get(user); !ok {
		return nil, args, user, errUserNotFound()
	}
	m, ok := q.w.messages.live(args.MsgID)
	if !ok || m.chatType == "chatroom" || !m.involves(user) {
		return nil, args, user, errIllegalReaction
	}
	return m, args, user, nil
}

func (m *message) reaction(name string) *reaction {
	for _, r := range m.reactions {
		if r.name == name {
			return r
		}
	}
	return nil
}

// reactionEntity is an added reaction in the answer.
type reactionEntity struct {
	ID        string  `json:"id"`
	MsgID     string  `json:"msgId"`
	MsgType   string  `json:"msgType"`
	GroupID   *string `json:"groupId"`
	Reaction  string  `json:"reaction"`
	CreatedAt string  `json:"createdAt"`
	UpdatedAt string  `json:"updatedAt"`
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func addReaction(q *request) (any, *apiError) {
	m, args, user, aerr := q.reactionOn()
	if aerr != nil {
		return nil, aerr
	}
	r := m.reaction(args.Message)
	switch {
	case r == nil && len(m.reactions) >= maxReactions:
		return nil, errReaction("The quantity has exceeded the limit!")
	case r == nil:
		r = &reaction{id: q.w.messages.newID(), name: args.Message, created: q.now}
		m.reactions = append(m.reactions, r)
	case slices.Contains(r.users, user):
		return nil, errReaction("the user is already operation this message")
	}
	r.users, r.updated = append(r.users, user), q.now
	ent := reactionEntity{ID: r.id, MsgID: m.id, MsgType: m.chatType, Reaction: r.name,
		CreatedAt: isoTime(r.created), UpdatedAt: isoTime(r.updated)}
	if m.chatType == "groupchat" {
		group := m.to
		ent.GroupID = &group
	}
	return q.statusOK(ent), nil
}

func deleteReaction(q *request) (any, *apiError) {
	m, args, user, aerr := q.reactionOn()
	if aerr != nil {
		return nil, aerr
	}
	r := m.reaction(args.Message)
	if r == nil || !slices.Contains(r.users, user) {
		return nil, errIllegalReaction
	}
	r.users = slices.DeleteFunc(slices.Clone(r.users), func(u string) bool { return u == user })
	if len(r.users) == 0 {
		m.reactions = slices.DeleteFunc(slices.Clone(m.reactions), func(x *reaction) bool { return x == r })
	}
	return q.statusOK(nil), nil
}

// reactionSummary is a reaction as ListByMessages and GetDetail show it.
type reactionSummary struct {
	ReactionID string   `json:"reactionId"`
	Reaction   string   `json:"reaction"`
	Count      int      `json:"count"`
	State      bool     `json:"state"`
	UserList   []string `json:"userList"`
	Cursor     *string  `json:"cursor,omitempty"`
}

func (r *reaction) summary(user string, users []string) reactionSummary {
	return reactionSummary{ReactionID: r.id, Reaction: r.name, Count: len(r.users),
		State: slices.Contains(r.users, user), UserList: slices.Clone(users)}
}

func checkReactionList(q *request) *apiError {
	query := q.r.URL.Query()
	switch {
	case len(strings.Split(query.Get("msgIdList"), ",")) > q.op.MaxItems("msgIdList"):
		return errReaction("msgIdList exceeds the maximum number limit")
	case query.Get("msgType") == "groupchat" && query.Get("groupId") == "":
		return errReaction("groupId can not be null!")
	}
	return nil
}

type messageReactions struct {
	MsgID        string            `json:"msgId"`
	ReactionList []reactionSummary `json:"reactionList"`
}

func listReactions(q *request) (any, *apiError) {
	user, query := fold(q.param("userId")), q.r.URL.Query()
	if _, ok := q.w.users.get(user); !ok {
		return nil, errUserNotFound()
	}
	out := []messageReactions{}
	for _, id := range strings.Split(query.Get("msgIdList"), ",") {
		m, ok := q.w.messages.live(id)
		if !ok || m.chatType != query.Get("msgType") || m.chatType == "groupchat" && m.to != query.Get("groupId") {
			continue
		}
		list := []reactionSummary{}
		for _, r := range m.reactions {
			list = append(list, r.summary(user, r.users[:min(reactionPreview, len(r.users))]))
		}
		out = append(out, messageReactions{MsgID: m.id, ReactionList: list})
	}
	return q.statusOK(out), nil
}

func reactionDetail(q *request) (any, *apiError) {
	m, args, user, aerr := q.reactionOn()
	if aerr != nil {
		return nil, aerr
	}
	query := q.r.URL.Query()
	r := m.reaction(args.Message)
	if r == nil {
		return nil, errIllegalReaction
	}
	limit := defaultDetailPage
	if s := query.Get("limit"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	from := 0
	if c := query.Get("cursor"); c != "" {
		n, ok := decodeCursor(c)
		if !ok {
			return nil, errReaction("cursor is illegal")
		}
		from = min(int(n), len(r.users))
	}
	to := min(from+limit, len(r.users))
	sum := r.summary(user, r.users[from:to])
	next := ""
	if to < len(r.users) {
		next = encodeCursor(uint64(to))
	}
	sum.Cursor = &next
	return q.statusOK(sum), nil
}
