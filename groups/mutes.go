package groups

import (
	"context"
	"time"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// MuteForever, as MuteMembers' duration, mutes until UnmuteMembers.
const MuteForever time.Duration = -1

// Muted lists a group's muted members and when each mute ends (获取禁言列表).
//
//meta:operation GET /chatgroups/{group_id}/mute (groups.ListMuted)
func (s *Service) Muted(ctx context.Context, groupID string, opts ...option.Call) ([]Mute, error) {
	return core.Data[[]Mute](ctx, s.c, groupRequest(catalog.GroupsListMuted, groupID, opts))
}

// MuteMembers mutes members for d (禁言指定群成员), at most 60 a call: a
// whole number of milliseconds, MuteForever, or 0 to lift a mute. A mute
// outlasts leaving and rejoining; muted members still receive. Each done
// name reports its mute.
//
//meta:operation POST /chatgroups/{group_id}/mute (groups.MuteMembers)
func (s *Service) MuteMembers(ctx context.Context, groupID string, usernames []string, d time.Duration, opts ...option.Call) (*batch.Result[string, Mute], error) {
	op := catalog.GroupsMuteMembers
	ms := d.Milliseconds()
	switch {
	case d == MuteForever:
		ms = -1
	case d < 0 || d%time.Millisecond != 0:
		return nil, core.Invalid(op.ID, "d", "%v; a whole number of milliseconds, MuteForever or 0", d)
	}
	body := func(chunk []string) any {
		return struct {
			Usernames []string `json:"usernames"`
			Duration  int64    `json:"mute_duration"`
		}{chunk, ms}
	}
	value := func(it core.NameResult) Mute { return muteOf(it.Raw) }
	return nameBatch[Mute]{op: op, body: body, value: value}.run(ctx, s, groupID, usernames, opts)
}

// UnmuteMembers lifts members' mutes (解除成员禁言), at most 60 a call, and
// reports each name.
//
//meta:operation DELETE /chatgroups/{group_id}/mute/{usernames} (groups.UnmuteMembers)
func (s *Service) UnmuteMembers(ctx context.Context, groupID string, usernames []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return nameBatch[struct{}]{op: catalog.GroupsUnmuteMembers, value: done}.run(ctx, s, groupID, usernames, opts)
}

// MuteAll mutes the whole group (禁言全体群成员): only allowlisted members
// may speak until UnmuteAll. The mute list is not touched.
//
//meta:operation POST /chatgroups/{group_id}/ban (groups.MuteAll)
func (s *Service) MuteAll(ctx context.Context, groupID string, opts ...option.Call) error {
	return s.expect(ctx, groupRequest(catalog.GroupsMuteAll, groupID, opts), "mute", true)
}

// UnmuteAll lifts MuteAll (解除全员禁言).
//
//meta:operation DELETE /chatgroups/{group_id}/ban (groups.UnmuteAll)
func (s *Service) UnmuteAll(ctx context.Context, groupID string, opts ...option.Call) error {
	return s.expect(ctx, groupRequest(catalog.GroupsUnmuteAll, groupID, opts), "mute", false)
}
