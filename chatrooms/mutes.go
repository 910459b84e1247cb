package chatrooms

import (
	"context"
	"time"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// A muted member cannot speak until the mute ends or is lifted; the mute
// outlives leaving and rejoining. Muting the whole room leaves the mute
// list alone and lets allow-listed members speak.

// ListMuted returns a room's mute list (获取禁言列表).
//
//meta:operation GET /chatrooms/{chatroom_id}/mute (chatrooms.ListMuted)
func (s *Service) ListMuted(ctx context.Context, roomID string, opts ...option.Call) ([]Mute, error) {
	return core.Data[[]Mute](ctx, s.c, roomRequest(catalog.ChatroomsListMuted, roomID, option.Resolve(opts...)))
}

// MuteMembers mutes members of a room for d (禁言聊天室成员): Forever mutes
// until lifted, 0 lifts a mute (newer docs), and d is sent in whole
// milliseconds, rounded up. Calls carry at most 60 users (the count every
// page of the docs accepts). The result has one item per user in input
// order, with the mute's end for each the server muted.
//
//meta:operation POST /chatrooms/{chatroom_id}/mute (chatrooms.MuteMembers)
func (s *Service) MuteMembers(ctx context.Context, roomID string, usernames []string, d time.Duration, opts ...option.Call) (*batch.Result[string, Expiry], error) {
	op := catalog.ChatroomsMuteMembers
	ms, err := muteDuration(op.ID, d, time.Millisecond)
	if err != nil {
		return nil, err
	}
	return userBatch(ctx, s, op, roomID, usernames, opts, func(chunk []string, set option.Settings) *core.Request {
		r := roomRequest(op, roomID, set)
		r.Body = muteBody{Usernames: chunk, Duration: ms}
		return r
	}, func(r core.NameResult) Expiry {
		ms, _ := r.Raw.Int64("expire")
		return expiryOf(ms)
	})
}

type muteBody struct {
	Usernames []string `json:"usernames"`
	Duration  int64    `json:"mute_duration"`
}

// MuteAll mutes the whole room (禁言聊天室全体成员) and returns the room's
// all-muted state as the server reports it.
//
//meta:operation POST /chatrooms/{chatroom_id}/ban (chatrooms.MuteAll)
func (s *Service) MuteAll(ctx context.Context, roomID string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, roomRequest(catalog.ChatroomsMuteAll, roomID, option.Resolve(opts...)), "mute")
}

// UnmuteMembers lifts the mutes of users (解除聊天室禁言成员), split into
// calls of at most 60 names in the path, and reports each user.
//
//meta:operation DELETE /chatrooms/{chatroom_id}/mute/{usernames} (chatrooms.UnmuteMembers)
func (s *Service) UnmuteMembers(ctx context.Context, roomID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.pathBatch(ctx, catalog.ChatroomsUnmuteMembers, roomID, usernames, opts)
}

// UnmuteAll lifts the whole room's mute (解除聊天室全员禁言) and returns the
// room's all-muted state as the server reports it (false).
//
//meta:operation DELETE /chatrooms/{chatroom_id}/ban (chatrooms.UnmuteAll)
func (s *Service) UnmuteAll(ctx context.Context, roomID string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, roomRequest(catalog.ChatroomsUnmuteAll, roomID, option.Resolve(opts...)), "mute")
}

// muteDuration is d in units for the wire, rounded up so a short mute is
// not sent as 0 (which lifts it); Forever is -1.
func muteDuration(op string, d, unit time.Duration) (int64, error) {
	switch {
	case d == Forever:
		return -1, nil
	case d < 0:
		return 0, core.Invalid(op, "duration", "%v is negative; use Forever to mute until lifted", d)
	}
	n := d / unit
	if d%unit != 0 {
		n++
	}
	return int64(n), nil
}
