package messages

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Roaming deletions remove messages from one user's roaming history only,
// on the server and on the user's devices; a conversation left empty
// leaves the user's conversation list. notify syncs the deletion to the
// user's online devices (isNotify; the server's default is true). Roaming
// must be enabled for the app.

// DeleteChatRoaming deletes messages of owner's one-to-one conversation
// with peer from owner's roaming history (根据消息 ID 单向删除单聊漫游消息),
// split into calls of at most 50 IDs. The result has one item per message
// ID in input order.
//
//meta:operation DELETE /rest/message/roaming/chat/user/{userId} (roaming.DeleteChatMessages)
func (s *Service) DeleteChatRoaming(ctx context.Context, owner, peer string, msgIDs []string, notify bool, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.RoamingDeleteChatMessages
	if err := checkUser(op.ID, "peer", peer); err != nil {
		return nil, err
	}
	return s.deleteRoaming(ctx, op, owner, url.Values{"userId": {peer}}, msgIDs, notify, opts)
}

// DeleteGroupRoaming deletes messages of a group from owner's roaming
// history (根据消息 ID 单向删除群聊漫游消息), split into calls of at most 50
// IDs. The result has one item per message ID in input order.
//
//meta:operation DELETE /rest/message/roaming/group/user/{userId} (roaming.DeleteGroupMessages)
func (s *Service) DeleteGroupRoaming(ctx context.Context, owner, group string, msgIDs []string, notify bool, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.RoamingDeleteGroupMessages
	if err := checkID(op.ID, "group", group); err != nil {
		return nil, err
	}
	return s.deleteRoaming(ctx, op, owner, url.Values{"groupId": {group}}, msgIDs, notify, opts)
}

func (s *Service) deleteRoaming(ctx context.Context, op *catalog.Op, owner string, q url.Values, msgIDs []string, notify bool, opts []option.Call) (*batch.Result[string, struct{}], error) {
	if err := checkUser(op.ID, "owner", owner); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "msgIdList", Field: "msgIDs",
		Key:   func(id string) string { return id },
		Check: func(id string) error { return checkID(op.ID, "msgID", id) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			query := url.Values{"msgIdList": {strings.Join(chunk, ",")}, "isNotify": {strconv.FormatBool(notify)}}
			for k, v := range q {
				query[k] = v
			}
			r := &core.Request{Op: op, Path: core.P("userId", owner), Query: query, Opts: set}
			if err := statusOK(ctx, s.c, r); err != nil {
				return nil, r, err
			}
			outcomes := make([]core.Outcome[struct{}], len(chunk))
			for i := range outcomes {
				outcomes[i] = core.Accepted(struct{}{})
			}
			return outcomes, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, msgIDs)
}

// ClearRoaming clears all of a user's roaming messages up to now, and all
// of the user's conversations (单向清空指定用户的漫游消息).
//
//meta:operation POST /rest/message/roaming/user/{userId}/delete/all (roaming.ClearUser)
func (s *Service) ClearRoaming(ctx context.Context, owner string, opts ...option.Call) error {
	op := catalog.RoamingClearUser
	if err := checkUser(op.ID, "owner", owner); err != nil {
		return err
	}
	return statusOK(ctx, s.c, &core.Request{Op: op, Path: core.P("userId", owner), Opts: option.Resolve(opts...)})
}

// ClearChatRoamingBefore clears owner's roaming messages with peer sent
// at or before t (单向清空单聊会话某个时间点及之前的漫游消息).
//
//meta:operation DELETE /rest/message/roaming/chat/user/{userId}/time (roaming.ClearChatBefore)
func (s *Service) ClearChatRoamingBefore(ctx context.Context, owner, peer string, t time.Time, notify bool, opts ...option.Call) error {
	op := catalog.RoamingClearChatBefore
	if err := checkUser(op.ID, "peer", peer); err != nil {
		return err
	}
	return s.clearBefore(ctx, op, owner, url.Values{"userId": {peer}}, t, notify, opts)
}

// ClearGroupRoamingBefore clears owner's roaming messages of a group or
// chatroom sent at or before t (单向清空群组或聊天室会话某个时间点及之前的漫游消息).
//
//meta:operation DELETE /rest/message/roaming/group/user/{userId}/time (roaming.ClearGroupBefore)
func (s *Service) ClearGroupRoamingBefore(ctx context.Context, owner, group string, t time.Time, notify bool, opts ...option.Call) error {
	op := catalog.RoamingClearGroupBefore
	if err := checkID(op.ID, "group", group); err != nil {
		return err
	}
	return s.clearBefore(ctx, op, owner, url.Values{"groupId": {group}}, t, notify, opts)
}

func (s *Service) clearBefore(ctx context.Context, op *catalog.Op, owner string, q url.Values, t time.Time, notify bool, opts []option.Call) error {
	if err := checkUser(op.ID, "owner", owner); err != nil {
		return err
	}
	if t.IsZero() {
		return core.Invalid(op.ID, "t", "zero time")
	}
	q.Set("delTime", strconv.FormatInt(t.UnixMilli(), 10))
	q.Set("isNotify", strconv.FormatBool(notify))
	return statusOK(ctx, s.c, &core.Request{Op: op, Path: core.P("userId", owner), Query: q, Opts: option.Resolve(opts...)})
}

// statusAnswer is the envelope of the reaction and roaming calls:
// {"requestStatusCode":"ok","timestamp":...,"data":...}.
type statusAnswer[T any] struct {
	Status string `json:"requestStatusCode"`
	Data   *T     `json:"data"`
}

// statusOK runs r and checks that the answer says ok (the docs spell it
// ok and OK).
func statusOK(ctx context.Context, c *core.Client, r *core.Request) error {
	_, err := statusData[struct{}](ctx, c, r, false)
	return err
}

// statusData runs r and returns the data of its status envelope; needData
// makes an answer without data a decoding error.
func statusData[T any](ctx context.Context, c *core.Client, r *core.Request, needData bool) (*T, error) {
	var out statusAnswer[T]
	r.Result = &out
	if err := c.Do(ctx, r); err != nil {
		return nil, err
	}
	if !strings.EqualFold(out.Status, "ok") {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "requestStatusCode is " + strconv.Quote(out.Status) + ", not ok"}
	}
	if needData && out.Data == nil {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no data in the answer"}
	}
	return out.Data, nil
}
