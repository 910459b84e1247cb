package easemobtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// groupListEntry is one entry of groups.List's data[].
type groupListEntry struct {
	Owner        string `json:"owner"`
	GroupID      string `json:"groupid"`
	Affiliations int    `json:"affiliations"`
	Type         string `json:"type"`
	LastModified string `json:"lastModified"`
	GroupName    string `json:"groupname"`
}

func checkGroupPage(q *request) *apiError {
	if c := q.r.URL.Query().Get("cursor"); c != "" {
		if _, ok := decodeCursor(c); !ok {
			return errIllegalArgument("cursor is illegal: " + c)
		}
	}
	return nil
}

func listGroups(q *request) (any, *apiError) {
	before, _ := decodeCursor(q.r.URL.Query().Get("cursor"))
	page, next := q.w.groups.page(before, q.pageSize("limit", defaultPageLimit, maxGroupPage))
	data := make([]groupListEntry, 0, len(page))
	for _, g := range page {
		data = append(data, groupListEntry{Owner: q.e.org + "#" + q.e.app + "_" + g.owner, GroupID: g.id,
			Affiliations: g.count(), Type: "group", LastModified: strconv.FormatInt(g.modified, 10), GroupName: g.name})
	}
	env := q.groupAnswer(data).withCount(len(data))
	if query := q.r.URL.Query(); len(query) > 0 {
		env.Params = query
	}
	if next != 0 {
		env.Cursor = encodeCursor(next)
	}
	return env, nil
}

// joinedEntry is one entity of groups.ListJoinedByUser.
type joinedEntry struct {
	Name         string `json:"name"`
	Avatar       string `json:"avatar"`
	Owner        string `json:"owner"`
	ID           string `json:"id"`
	GroupID      string `json:"groupId"`
	Description  string `json:"description"`
	Disabled     bool   `json:"disabled"`
	Public       bool   `json:"public"`
	AllowInvites bool   `json:"allowinvites"`
	MembersOnly  bool   `json:"membersonly"`
	MaxUsers     int    `json:"maxusers"`
	Created      int64  `json:"created"`
}

// joinedAnswer is the envelope of the current joined list: entities and total.
type joinedAnswer struct {
	*envelope
	Total int `json:"total"`
}

func listJoinedGroups(q *request) (any, *apiError) {
	all := q.w.groups.joinedBy(fold(q.param("username")))
	page := pageOf(all, q.intQuery("pagenum", 0), 0, q.pageSize("pagesize", defaultJoinedPage, maxJoinedPage))
	ents := make([]joinedEntry, 0, len(page))
	for _, g := range page {
		ents = append(ents, joinedEntry{Name: g.name, Avatar: g.avatar, Owner: g.owner, ID: g.id, GroupID: g.id,
			Description: g.description, Disabled: g.disabled, Public: g.public, AllowInvites: g.allowInvites,
			MembersOnly: g.membersOnly, MaxUsers: g.maxUsers, Created: g.created})
	}
	env := q.envelope("get").withURI(q)
	env.Organization, env.ApplicationName, env.Entities = q.e.org, q.e.app, ents
	return joinedAnswer{env, len(all)}, nil
}

// groupRef is one entry of the legacy joined list.
type groupRef struct {
	GroupID   string `json:"groupid"`
	GroupName string `json:"groupname"`
}

func listJoinedGroupsLegacy(q *request) (any, *apiError) {
	all := q.w.groups.joinedBy(fold(q.param("username")))
	query := q.r.URL.Query()
	var page []*chatGroup
	if !query.Has("pagesize") && !query.Has("pagenum") {
		// Without paging: the newest joins, at most 500.
		page = all[max(len(all)-newestJoinedOld, 0):]
		slices.Reverse(page)
	} else {
		page = pageOf(all, q.intQuery("pagenum", 1), 1, q.pageSize("pagesize", defaultJoinedPageOld, maxJoinedPageOld))
	}
	data := make([]groupRef, 0, len(page))
	for _, g := range page {
		data = append(data, groupRef{g.id, g.name})
	}
	env := q.groupAnswer(data).withCount(len(data))
	env.Params = query
	return env, nil
}

func isGroupMember(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	return q.groupAnswer(g.isMember(fold(q.param("username")))), nil
}

// affiliation is one member of a details answer: {"owner": u} or {"member": u}.
type affiliation map[string]string

// groupDetails is one entry of groups.Get's data[].
type groupDetails struct {
	ID                string        `json:"id"`
	Name              string        `json:"name"`
	Avatar            string        `json:"avatar"`
	Description       string        `json:"description"`
	MembersOnly       bool          `json:"membersonly"`
	AllowInvites      bool          `json:"allowinvites"`
	MaxUsers          int           `json:"maxusers"`
	Owner             string        `json:"owner"`
	Created           int64         `json:"created"`
	Custom            string        `json:"custom"`
	Mute              bool          `json:"mute"`
	AffiliationsCount int           `json:"affiliations_count"`
	Disabled          bool          `json:"disabled"`
	Affiliations      []affiliation `json:"affiliations"`
	Public            bool          `json:"public"`
}

func (g *chatGroup) details() groupDetails {
	affs := []affiliation{{"owner": g.owner}}
	for _, m := range g.members.names[:min(g.members.len(), maxGroupDetailMember-1)] {
		affs = append(affs, affiliation{"member": m})
	}
	return groupDetails{ID: g.id, Name: g.name, Avatar: g.avatar, Description: g.description, MembersOnly: g.membersOnly,
		AllowInvites: g.allowInvites, MaxUsers: g.maxUsers, Owner: g.owner, Created: g.created, Custom: g.custom,
		Mute: g.allMuted, AffiliationsCount: g.count(), Disabled: g.disabled, Affiliations: affs, Public: g.public}
}

// getGroups answers the groups that exist among the ids; when none does,
// the first missing id's 404.
func getGroups(q *request) (any, *apiError) {
	ids := strings.Split(q.param("group_ids"), ",")
	data := []groupDetails{}
	for _, id := range ids {
		if g := q.w.groups.get(id); g != nil {
			data = append(data, g.details())
		}
	}
	if len(data) == 0 {
		return nil, errGroupNotFound(ids[0])
	}
	return q.groupAnswer(data).withCount(len(data)), nil
}

// newGroup is the body of groups.Create.
type newGroup struct {
	GroupID           string   `json:"groupid"`
	Name              string   `json:"groupname"`
	Avatar            string   `json:"avatar"`
	Description       string   `json:"description"`
	Public            *bool    `json:"public"`
	MaxUsers          *int     `json:"maxusers"`
	AllowInvites      bool     `json:"allowinvites"`
	MembersOnly       bool     `json:"membersonly"`
	InviteNeedConfirm *bool    `json:"invite_need_confirm"`
	Owner             *string  `json:"owner"`
	Members           []string `json:"members"`
	Custom            string   `json:"custom"`
}

// checkTexts applies the documented lengths of a group's texts.
func checkTexts(name, description, avatar, custom *string) *apiError {
	for _, t := range []struct {
		field string
		v     *string
		limit int
	}{{"groupname", name, maxGroupName}, {"description", description, maxGroupDescription}, {"avatar", avatar, maxGroupAvatar}} {
		if t.v == nil {
			continue
		}
		if aerr := textTooLong(t.field, *t.v, t.limit); aerr != nil {
			return aerr
		}
	}
	if custom != nil && len(*custom) > maxGroupCustom {
		return errInvalidParameter("custom length is too big")
	}
	return nil
}

func checkCreateGroup(q *request) *apiError {
	b, aerr := decodeBody[newGroup](q)
	switch {
	case aerr != nil:
		return aerr
	case b.Public == nil:
		return errInvalidParameter("group must contain public field!")
	case b.Owner == nil || *b.Owner == "":
		return errInvalidParameter("owner must be provided")
	case !validUser(*b.Owner):
		return errIllegalArgument("username " + *b.Owner + " is not legal")
	case b.MaxUsers != nil && *b.MaxUsers < 1:
		return errInvalidParameter("maxusers must be greater than 0")
	case !validCustomID(b.GroupID):
		return errIllegalArgument("group ID " + b.GroupID + " is not legal")
	}
	for _, m := range b.Members {
		if !validUser(m) {
			return errIllegalArgument("username " + m + " is not legal")
		}
	}
	return checkTexts(&b.Name, &b.Description, &b.Avatar, &b.Custom)
}

// validCustomID applies the rule of a custom group ID: at most 64 of a-z 0-9.
func validCustomID(id string) bool {
	return len(id) <= maxCustomGroupID && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") == ""
}

func createGroup(q *request) (any, *apiError) {
	b, _ := decodeBody[newGroup](q)
	s := &q.w.groups
	owner := fold(*b.Owner)
	if _, ok := q.w.users.get(owner); !ok {
		return nil, errGroupUserNotFound(owner)
	}
	if b.GroupID != "" && s.get(b.GroupID) != nil {
		return nil, errIllegalArgument("group ID " + b.GroupID + " already exists!")
	}
	ms := q.now.UnixMilli()
	g := &chatGroup{id: b.GroupID, name: b.Name, avatar: b.Avatar, description: b.Description, custom: b.Custom,
		public: *b.Public, membersOnly: b.MembersOnly, allowInvites: b.AllowInvites && !*b.Public,
		inviteNeedConfirm: b.InviteNeedConfirm == nil || *b.InviteNeedConfirm, maxUsers: defaultGroupMaxUsers,
		owner: owner, created: ms, modified: ms, mutes: map[string]int64{}, attrs: map[string]map[string]string{}}
	if b.MaxUsers != nil {
		g.maxUsers = *b.MaxUsers
	}
	for _, m := range b.Members {
		m = fold(m)
		if _, ok := q.w.users.get(m); !ok {
			return nil, errGroupUserNotFound(m)
		}
		if m != owner {
			g.members.add(m, ms)
		}
	}
	if g.count() > g.maxUsers {
		return nil, errExceed(descGroupFull)
	}
	s.create(g)
	return q.groupAnswer(map[string]string{"groupid": g.id}), nil
}

// groupChanges is the body of groups.Update; only these keys are allowed.
type groupChanges struct {
	Name              *string `json:"groupname"`
	Avatar            *string `json:"avatar"`
	Description       *string `json:"description"`
	MaxUsers          *int    `json:"maxusers"`
	MembersOnly       *bool   `json:"membersonly"`
	AllowInvites      *bool   `json:"allowinvites"`
	InviteNeedConfirm *bool   `json:"invite_need_confirm"`
	Custom            *string `json:"custom"`
	Public            *bool   `json:"public"`
}

var updateFields = []string{"groupname", "avatar", "description", "maxusers", "membersonly", "allowinvites",
	"invite_need_confirm", "custom", "public"}

func checkUpdateGroup(q *request) *apiError {
	var unknown []string
	for k := range bodyObject(q) {
		if !slices.Contains(updateFields, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return errInvalidParameter("some of [" + strings.Join(unknown, ", ") + "] are not valid fields")
	}
	b, aerr := decodeBody[groupChanges](q)
	if aerr != nil {
		return aerr
	}
	return checkTexts(b.Name, b.Description, b.Avatar, b.Custom)
}

// updateGroup applies each field sent and answers, per field, whether it
// changed: a maxusers below the member count does not.
func updateGroup(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[groupChanges](q)
	data := map[string]bool{}
	setText := func(key string, v *string, into *string) {
		if v != nil {
			*into, data[key] = *v, true
		}
	}
	setFlag := func(key string, v *bool, into *bool) {
		if v != nil {
			*into, data[key] = *v, true
		}
	}
	setText("groupname", b.Name, &g.name)
	setText("avatar", b.Avatar, &g.avatar)
	setText("description", b.Description, &g.description)
	setText("custom", b.Custom, &g.custom)
	setFlag("membersonly", b.MembersOnly, &g.membersOnly)
	setFlag("allowinvites", b.AllowInvites, &g.allowInvites)
	setFlag("invite_need_confirm", b.InviteNeedConfirm, &g.inviteNeedConfirm)
	setFlag("public", b.Public, &g.public)
	if b.MaxUsers != nil {
		data["maxusers"] = *b.MaxUsers >= g.count()
		if data["maxusers"] {
			g.maxUsers = *b.MaxUsers
		}
	}
	g.modified = q.now.UnixMilli()
	return q.groupAnswer(data), nil
}

func transferGroup(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	var body struct {
		NewOwner string `json:"newowner"`
	}
	_ = json.Unmarshal(q.body, &body)
	to := fold(body.NewOwner)
	switch {
	case to == g.owner:
		return nil, errForbiddenOp("new owner and old owner are the same")
	case !g.members.has(to):
		return nil, errForbiddenOp("user: " + to + " doesn't exist in group: " + g.id)
	}
	ms := q.now.UnixMilli()
	old := g.owner
	g.members.remove(to)
	g.admins.remove(to)
	g.owner = to
	g.members.add(old, ms) // the old owner stays, as a member; both stay indexed
	g.modified = ms
	return q.groupAnswer(map[string]bool{"newowner": true}), nil
}

func deleteGroup(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	q.w.deleteGroup(g)
	return q.groupAnswer(map[string]any{"success": true, "groupid": g.id}), nil
}

// setGroupDisabled serves Disable and Enable.
func setGroupDisabled(disabled bool) handler {
	return func(q *request) (any, *apiError) {
		g, aerr := q.group()
		if aerr != nil {
			return nil, aerr
		}
		g.disabled = disabled
		return q.groupAnswer(map[string]bool{"disabled": disabled}), nil
	}
}

// setAllMuted serves MuteAll and UnmuteAll.
func setAllMuted(muted bool) handler {
	return func(q *request) (any, *apiError) {
		g, aerr := q.group()
		if aerr != nil {
			return nil, aerr
		}
		g.allMuted = muted
		return q.groupAnswer(map[string]bool{"mute": muted}), nil
	}
}

func getAnnouncement(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	return q.groupAnswer(map[string]string{"announcement": g.announcement}), nil
}

type announcementBody struct {
	Announcement *string `json:"announcement"`
}

func checkAnnouncement(q *request) *apiError {
	b, aerr := decodeBody[announcementBody](q)
	switch {
	case aerr != nil:
		return aerr
	case b.Announcement == nil:
		return errIllegalArgument("announcement is null")
	case utf8.RuneCountInString(*b.Announcement) > maxGroupAnnouncement:
		return &apiError{403, "FORBIDDEN", exceptionGroup, "announce info length exceeds limit!"}
	}
	return nil
}

func setAnnouncement(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[announcementBody](q)
	g.announcement = *b.Announcement
	return q.groupAnswer(map[string]any{"id": g.id, "result": true}), nil
}
