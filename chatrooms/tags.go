package chatrooms

import (
	"context"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// User tags label members of a room so they can be muted together. The
// feature must be enabled by Easemob sales: until then every call answers
// 403 forbidden_op "Group tag mute is disabled". A member who leaves the
// room loses its tags.

// SetUserTags replaces a member's tags in a room (设置用户在聊天室中的标签):
// at most 10, each at most 32 characters; none removes them all.
//
//meta:operation PUT /chatrooms/{chatroom_id}/users/{username}/tag (chatrooms.SetUserTags)
func (s *Service) SetUserTags(ctx context.Context, roomID, username string, tags []string, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsSetUserTags
	seen := map[string]bool{}
	for _, t := range tags {
		if err := checkTag(op.ID, t); err != nil {
			return false, err
		}
		if seen[t] {
			return false, core.Invalid(op.ID, "tags", "%q given twice", t)
		}
		seen[t] = true
	}
	if tags == nil {
		tags = []string{} // the field is required: an empty list clears
	}
	r := roomRequest(op, roomID, option.Resolve(opts...), "username", username)
	r.Body = map[string][]string{"tags": tags}
	return s.result(ctx, r)
}

// GetUserTags returns a member's tags in a room (获取用户聊天室标签), each
// with the end of its tag mute (zero when the tag is not muted).
//
//meta:operation GET /chatrooms/{chatroom_id}/users/{username}/tag (chatrooms.GetUserTags)
func (s *Service) GetUserTags(ctx context.Context, roomID, username string, opts ...option.Call) (map[string]Expiry, error) {
	return core.Data[map[string]Expiry](ctx, s.c, roomRequest(catalog.ChatroomsGetUserTags, roomID, option.Resolve(opts...), "username", username))
}

// MuteByTag mutes every member carrying a tag for d (聊天室用户标签禁言):
// they join the room's mute list until it ends. Forever mutes until
// lifted, 0 lifts the tag's mute; d is sent in whole seconds, rounded up
// (this call counts seconds where MuteMembers counts milliseconds).
//
//meta:operation PUT /chatrooms/{chatroom_id}/tag/mute (chatrooms.MuteByTag)
func (s *Service) MuteByTag(ctx context.Context, roomID, tag string, d time.Duration, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsMuteByTag
	if err := checkTag(op.ID, tag); err != nil {
		return false, err
	}
	secs, err := muteDuration(op.ID, d, time.Second)
	if err != nil {
		return false, err
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	r.Body = map[string]any{"tag": tag, "mute_duration": secs}
	return s.result(ctx, r)
}

func checkTag(op, tag string) error {
	if tag == "" {
		return core.Invalid(op, "tag", "empty")
	}
	return checkText(op, "tag", tag, rules.MaxChatroomTagChars)
}
