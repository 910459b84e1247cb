package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
)

// Online reports whether a user is logged in on any device (获取用户在线状态).
//
//meta:operation GET /users/{username}/status (users.GetStatus)
func (s *Service) Online(ctx context.Context, username string) (bool, error) {
	op := catalog.UsersGetStatus
	if err := checkUsername(op.ID, "username", username); err != nil {
		return false, err
	}
	var data map[string]string
	if err := s.data(ctx, op, &data, username); err != nil {
		return false, err
	}
	return lookupFold(data, username) == "online", nil
}

// OnlineBatch reports the online state of many users (批量获取用户在线状态),
// split into calls of at most 100. Unknown users come back offline. On error
// the map holds the answers of the calls that succeeded.
//
//meta:operation POST /users/batch/status (users.GetStatusBatch)
func (s *Service) OnlineBatch(ctx context.Context, usernames []string) (map[string]bool, error) {
	op := catalog.UsersGetStatusBatch
	if len(usernames) == 0 {
		return nil, core.Invalid(op.ID, "usernames", "no usernames")
	}
	for _, u := range usernames {
		if err := checkUsername(op.ID, "usernames", u); err != nil {
			return nil, err
		}
	}
	online := make(map[string]bool, len(usernames))
	var errs []error
	failed := 0
	for _, chunk := range core.Chunks(usernames, op.MaxItems("usernames")) {
		var out struct {
			Data []map[string]string `json:"data"`
		}
		body := map[string][]string{"usernames": chunk}
		if err := s.c.Do(ctx, &core.Request{Op: op, Body: body, Result: &out}); err != nil {
			errs = append(errs, err)
			failed += len(chunk)
			continue
		}
		states := make(map[string]string, len(chunk))
		for _, m := range out.Data {
			for k, v := range m {
				states[strings.ToLower(k)] = v
			}
		}
		for _, u := range chunk {
			online[u] = states[strings.ToLower(u)] == "online"
		}
	}
	if len(errs) > 0 {
		return online, &core.BatchError{Op: op.ID, Succeeded: len(online), Failed: failed, Errs: errs}
	}
	return online, nil
}

// OfflineMessageCount returns how many messages wait for a user while
// offline (获取离线消息数).
//
//meta:operation GET /users/{owner_username}/offline_msg_count (users.GetOfflineMsgCount)
func (s *Service) OfflineMessageCount(ctx context.Context, username string) (int, error) {
	op := catalog.UsersGetOfflineMsgCount
	if err := checkUsername(op.ID, "username", username); err != nil {
		return 0, err
	}
	var data map[string]core.Int64
	if err := s.data(ctx, op, &data, username); err != nil {
		return 0, err
	}
	for k, v := range data {
		if strings.EqualFold(k, username) {
			return int(v), nil
		}
	}
	return 0, nil
}

// OfflineMessageStatus tells whether an offline message reached the user
// (获取离线消息的状态).
//
//meta:operation GET /users/{username}/offline_msg_status/{msg_id} (users.GetOfflineMsgStatus)
func (s *Service) OfflineMessageStatus(ctx context.Context, username, msgID string) (Delivery, error) {
	op := catalog.UsersGetOfflineMsgStatus
	if err := checkUsername(op.ID, "username", username); err != nil {
		return "", err
	}
	if err := checkNonEmpty(op.ID, "msgID", msgID); err != nil {
		return "", err
	}
	var data map[string]string
	if err := s.data(ctx, op, &data, username, msgID); err != nil {
		return "", err
	}
	return Delivery(data[msgID]), nil
}

// Disconnect logs a user out of every device (强制下线) and reports the
// server's result.
//
//meta:operation GET /users/{username}/disconnect (users.Disconnect)
func (s *Service) Disconnect(ctx context.Context, username string) (bool, error) {
	op := catalog.UsersDisconnect
	if err := checkUsername(op.ID, "username", username); err != nil {
		return false, err
	}
	return s.result(ctx, op, username)
}

// DisconnectDevice logs a user out of one device, named by its resource ID
// such as "android_123423453246" (强制用户从单设备下线).
//
//meta:operation DELETE /users/{username}/disconnect/{resourceId} (users.DisconnectDevice)
func (s *Service) DisconnectDevice(ctx context.Context, username, resource string) (bool, error) {
	op := catalog.UsersDisconnectDevice
	if err := checkUsername(op.ID, "username", username); err != nil {
		return false, err
	}
	if err := checkNonEmpty(op.ID, "resource", resource); err != nil {
		return false, err
	}
	return s.result(ctx, op, username, resource)
}

func (s *Service) result(ctx context.Context, op *catalog.Op, params ...string) (bool, error) {
	var data struct {
		Result core.Bool `json:"result"`
	}
	if err := s.data(ctx, op, &data, params...); err != nil {
		return false, err
	}
	return bool(data.Result), nil
}

// Devices lists the devices a user is logged in on (获取指定账号的在线登录设备列表).
//
//meta:operation GET /users/{username}/resources (users.ListResources)
func (s *Service) Devices(ctx context.Context, username string) ([]Device, error) {
	op := catalog.UsersListResources
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, err
	}
	var devices []Device
	if err := s.data(ctx, op, &devices, username); err != nil {
		return nil, err
	}
	return devices, nil
}

func lookupFold(m map[string]string, key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

// data runs a call on a user's path and decodes the response's data field
// into v.
func (s *Service) data(ctx context.Context, op *catalog.Op, v any, params ...string) error {
	var out envelope
	if err := s.c.Do(ctx, &core.Request{Op: op, Params: params, Result: &out}); err != nil {
		return err
	}
	if err := decodeLoose(out.Data, v); err != nil {
		return fmt.Errorf("easemob: %s: decoding data: %w", op.ID, err)
	}
	return nil
}
