package groups

import (
	"cmp"
	"context"
	"encoding/json"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// NewGroup is a group to create.
type NewGroup struct {
	// ID is a custom group ID (at most 64 of a-z 0-9), a feature the
	// server must have enabled; empty lets the server choose.
	ID          string `json:"groupid,omitempty"`
	Name        string `json:"groupname,omitempty"`
	Description string `json:"description,omitempty"`
	Avatar      string `json:"avatar,omitempty"`
	// Public is required: true for a public group, false for a private one.
	Public bool `json:"public"`
	// MaxUsers bounds the members, the owner included; 0 is the default (200).
	MaxUsers int `json:"maxusers,omitempty"`
	// AllowInvites lets members invite; the server ignores it for public
	// groups on creation (set it with Update).
	AllowInvites bool `json:"allowinvites,omitempty"`
	// MembersOnly: joining a public group needs approval.
	MembersOnly bool `json:"membersonly,omitempty"`
	// InviteNeedConfirm: invitees must accept; nil is the default (true).
	InviteNeedConfirm *bool `json:"invite_need_confirm,omitempty"`
	// Owner is required; Members are the other members.
	Owner   string   `json:"owner"`
	Members []string `json:"members,omitempty"`
	Custom  string   `json:"custom,omitempty"`
}

// defaultMaxUsers is the member bound of a group created without one.
const defaultMaxUsers = 200

func (g NewGroup) check(op string) error {
	if err := checkUser(op, "Owner", g.Owner); err != nil {
		return err
	}
	if g.ID != "" {
		if err := checkCustomID(op, g.ID); err != nil {
			return err
		}
	}
	if err := checkTexts(op, &g.Name, &g.Description, &g.Avatar, &g.Custom); err != nil {
		return err
	}
	if g.MaxUsers < 0 {
		return core.Invalid(op, "MaxUsers", "negative")
	}
	seen := map[string]bool{core.FoldKey(g.Owner): true}
	for i, m := range g.Members {
		if err := checkUser(op, "Members", m); err != nil {
			return err
		}
		if seen[core.FoldKey(m)] {
			return core.Invalid(op, "Members", "%q (item %d) is the owner or given twice", m, i)
		}
		seen[core.FoldKey(m)] = true
	}
	if limit := cmp.Or(g.MaxUsers, defaultMaxUsers); len(g.Members)+1 > limit {
		return core.Invalid(op, "Members", "%d members and the owner exceed MaxUsers %d", len(g.Members), limit)
	}
	return nil
}

// checkTexts bounds name, description, avatar and custom; nil skips one.
func checkTexts(op string, name, description, avatar, custom *string) error {
	for _, t := range []struct {
		field string
		v     *string
		limit int
	}{{"Name", name, maxNameChars}, {"Description", description, maxDescriptionChars}, {"Avatar", avatar, maxAvatarChars}} {
		if t.v == nil {
			continue
		}
		if err := checkChars(op, t.field, *t.v, t.limit); err != nil {
			return err
		}
	}
	if custom != nil && len(*custom) > maxCustomBytes {
		return core.Invalid(op, "Custom", "%d bytes, at most %d allowed", len(*custom), maxCustomBytes)
	}
	return nil
}

// Create creates a group (创建群组) and returns its ID.
//
//meta:operation POST /chatgroups (groups.Create)
func (s *Service) Create(ctx context.Context, g NewGroup, opts ...option.Call) (string, error) {
	op := catalog.GroupsCreate
	if err := g.check(op.ID); err != nil {
		return "", err
	}
	data, err := core.Data[core.Object](ctx, s.c, &core.Request{Op: op, Body: g, Opts: option.Resolve(opts...)})
	if err != nil {
		return "", err
	}
	id := data.String("groupid")
	if id == "" {
		return "", &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data.groupid in the answer"}
	}
	return id, nil
}

// Changes are the settings Update changes; nil fields are left as they are.
type Changes struct {
	Name              *string `json:"groupname,omitempty"`
	Description       *string `json:"description,omitempty"`
	Avatar            *string `json:"avatar,omitempty"`
	MaxUsers          *int    `json:"maxusers,omitempty"`
	MembersOnly       *bool   `json:"membersonly,omitempty"`
	AllowInvites      *bool   `json:"allowinvites,omitempty"`
	InviteNeedConfirm *bool   `json:"invite_need_confirm,omitempty"`
	Public            *bool   `json:"public,omitempty"`
	Custom            *string `json:"custom,omitempty"`
}

// Update changes a group's settings (修改群组信息). The answer tells, per
// field sent (by its wire name, e.g. "groupname"), whether it changed.
//
//meta:operation PUT /chatgroups/{group_id} (groups.Update)
func (s *Service) Update(ctx context.Context, groupID string, ch Changes, opts ...option.Call) (map[string]bool, error) {
	op := catalog.GroupsUpdate
	if ch == (Changes{}) {
		return nil, core.Invalid(op.ID, "changes", "empty")
	}
	if err := checkTexts(op.ID, ch.Name, ch.Description, ch.Avatar, ch.Custom); err != nil {
		return nil, err
	}
	if ch.MaxUsers != nil && *ch.MaxUsers < 1 {
		return nil, core.Invalid(op.ID, "MaxUsers", "%d; at least 1", *ch.MaxUsers)
	}
	r := groupRequest(op, groupID, opts)
	r.Body = ch
	data, err := core.Data[map[string]core.Bool](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(data))
	for k, v := range data {
		out[k] = bool(v)
	}
	return out, nil
}

// TransferOwner makes a member the owner (转让群组); the old owner stays a
// member.
//
//meta:operation PUT /chatgroups/{group_id} (groups.TransferOwner)
func (s *Service) TransferOwner(ctx context.Context, groupID, newOwner string, opts ...option.Call) (bool, error) {
	op := catalog.GroupsTransferOwner
	if err := checkUser(op.ID, "newOwner", newOwner); err != nil {
		return false, err
	}
	r := groupRequest(op, groupID, opts)
	r.Body = map[string]string{"newowner": newOwner}
	return s.flag(ctx, r, "newowner")
}

// Delete dissolves a group (解散群组), its threads with it; its shared
// files can no longer be downloaded.
//
//meta:operation DELETE /chatgroups/{group_id} (groups.Delete)
func (s *Service) Delete(ctx context.Context, groupID string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsDelete, groupID, opts), "success")
}

// Disable disables a group (封禁群组): no member can send, receive or
// manage until Enable.
//
//meta:operation POST /chatgroups/{group_id}/disable (groups.Disable)
func (s *Service) Disable(ctx context.Context, groupID string, opts ...option.Call) error {
	return s.expect(ctx, groupRequest(catalog.GroupsDisable, groupID, opts), "disabled", true)
}

// Enable lifts Disable (解禁群组).
//
//meta:operation POST /chatgroups/{group_id}/enable (groups.Enable)
func (s *Service) Enable(ctx context.Context, groupID string, opts ...option.Call) error {
	return s.expect(ctx, groupRequest(catalog.GroupsEnable, groupID, opts), "disabled", false)
}

// Announcement returns a group's announcement (获取群组公告).
//
//meta:operation GET /chatgroups/{group_id}/announcement (groups.GetAnnouncement)
func (s *Service) Announcement(ctx context.Context, groupID string, opts ...option.Call) (string, error) {
	data, err := core.Data[map[string]json.RawMessage](ctx, s.c, groupRequest(catalog.GroupsGetAnnouncement, groupID, opts))
	if err != nil {
		return "", err
	}
	raw, ok := data["announcement"]
	if !ok {
		return "", &core.DecodeError{Op: catalog.GroupsGetAnnouncement.ID, StatusCode: 200, Reason: "no data.announcement in the answer"}
	}
	return core.Object{"a": raw}.String("a"), nil
}

// SetAnnouncement replaces a group's announcement (修改群组公告), at most
// 512 characters; "" clears it.
//
//meta:operation POST /chatgroups/{group_id}/announcement (groups.SetAnnouncement)
func (s *Service) SetAnnouncement(ctx context.Context, groupID, text string, opts ...option.Call) (bool, error) {
	op := catalog.GroupsSetAnnouncement
	if err := checkChars(op.ID, "text", text, maxAnnouncementChars); err != nil {
		return false, err
	}
	r := groupRequest(op, groupID, opts)
	r.Body = map[string]string{"announcement": text}
	return s.flag(ctx, r, "result")
}
