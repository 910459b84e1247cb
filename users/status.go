package users

import (
	"context"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Online reports whether a user is logged in on any device; it calls
// users.GetStatus (获取用户在线状态).
//
//meta:operation GET /users/{username}/status (users.GetStatus)
func (s *Service) Online(ctx context.Context, username string, opts ...option.Call) (bool, error) {
	states, err := userData[map[string]string](ctx, s, catalog.UsersGetStatus, username, opts)
	if err != nil {
		return false, err
	}
	state, ok := lookupFold(states, username)
	if !ok {
		return false, &core.DecodeError{Op: catalog.UsersGetStatus.ID, StatusCode: 200, Reason: "no state for " + username}
	}
	return state == "online", nil
}

// OnlineBatch reports the online state of many users; it calls
// users.GetStatusBatch (批量获取用户在线状态), split into calls of at most
// 100. The result has one item per username in input order; unknown users
// come back offline, and a user the answer leaves out is reported failed.
//
//meta:operation POST /users/batch/status (users.GetStatusBatch)
func (s *Service) OnlineBatch(ctx context.Context, usernames []string, opts ...option.Call) (*batch.Result[string, bool], error) {
	op := catalog.UsersGetStatusBatch
	set := option.Resolve(opts...)
	b := core.Batch[string, bool]{
		Op: op, Cap: "usernames", Field: "usernames",
		Key:   core.FoldKey,
		Check: func(u string) error { return checkUsername(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[bool], *core.Request, error) {
			var out struct {
				Data []map[string]string `json:"data"`
			}
			r := &core.Request{Op: op, Body: map[string][]string{"usernames": chunk}, Result: &out, Opts: set}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			states := make(map[string]string, len(chunk))
			for _, m := range out.Data {
				for k, v := range m {
					states[core.FoldKey(k)] = v
				}
			}
			outcomes := make([]core.Outcome[bool], len(chunk))
			for i, u := range chunk {
				state, ok := states[core.FoldKey(u)]
				outcomes[i] = core.Accepted(state == "online")
				if !ok {
					outcomes[i] = core.Refused[bool](core.Omitted)
				}
			}
			return outcomes, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}

// OfflineMessageCount returns how many messages wait for a user while
// offline (获取用户离线消息数量).
//
//meta:operation GET /users/{owner_username}/offline_msg_count (users.GetOfflineMsgCount)
func (s *Service) OfflineMessageCount(ctx context.Context, username string, opts ...option.Call) (int, error) {
	counts, err := userData[map[string]core.Int64](ctx, s, catalog.UsersGetOfflineMsgCount, username, opts)
	if err != nil {
		return 0, err
	}
	for k, v := range counts {
		if strings.EqualFold(k, username) {
			return int(v), nil
		}
	}
	return 0, &core.DecodeError{Op: catalog.UsersGetOfflineMsgCount.ID, StatusCode: 200, Reason: "no count for " + username}
}

// OfflineMessageStatus tells whether an offline message reached the user
// (获取指定离线消息的投递状态).
//
//meta:operation GET /users/{username}/offline_msg_status/{msg_id} (users.GetOfflineMsgStatus)
func (s *Service) OfflineMessageStatus(ctx context.Context, username, msgID string, opts ...option.Call) (Delivery, error) {
	op := catalog.UsersGetOfflineMsgStatus
	states, err := userData[map[string]string](ctx, s, op, username, opts, "msg_id", msgID)
	if err != nil {
		return "", err
	}
	state, ok := states[msgID]
	if !ok {
		return "", &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no state for message " + msgID}
	}
	return Delivery(state), nil
}

// Disconnect logs a user out of every device (强制用户下线) and reports the
// server's result.
//
//meta:operation GET /users/{username}/disconnect (users.Disconnect)
func (s *Service) Disconnect(ctx context.Context, username string, opts ...option.Call) (bool, error) {
	res, err := userData[result](ctx, s, catalog.UsersDisconnect, username, opts)
	return bool(res.Result), err
}

// DisconnectDevice logs a user out of one device, named by its resource ID
// such as "android_123423453246" (强制用户从单设备下线).
//
//meta:operation DELETE /users/{username}/disconnect/{resourceId} (users.DisconnectDevice)
func (s *Service) DisconnectDevice(ctx context.Context, username, resource string, opts ...option.Call) (bool, error) {
	res, err := userData[result](ctx, s, catalog.UsersDisconnectDevice, username, opts, "resourceId", resource)
	return bool(res.Result), err
}

// Devices lists the devices a user is logged in on (获取指定账号的在线登录设备列表).
//
//meta:operation GET /users/{username}/resources (users.ListResources)
func (s *Service) Devices(ctx context.Context, username string, opts ...option.Call) ([]Device, error) {
	return userData[[]Device](ctx, s, catalog.UsersListResources, username, opts)
}

type result struct {
	Result core.Bool `json:"result"`
}

// userData runs a call on a user's path and returns its data field.
func userData[T any](ctx context.Context, s *Service, op *catalog.Op, username string, opts []option.Call, more ...string) (T, error) {
	r, err := userRequest(op, username, opts, more...)
	if err != nil {
		var zero T
		return zero, err
	}
	return core.Data[T](ctx, s.c, r)
}

func lookupFold(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}
