package easemobtest

import (
	"encoding/json"
	"slices"
	"strings"
)

// memberEntry is one entry of groups.ListMembers: {"owner": u} or
// {"member": u}, with joined_time when asked for.
type memberEntry map[string]any

func listGroupMembers(q *request) (any, *apiError) {
	g := q.w.groups.get(q.param("group_id"))
	if g == nil {
		return nil, &apiError{404, "service_resource_not_found", "ServiceResourceNotFoundException", "do not find this group:" + q.param("group_id")}
	}
	withTime := q.r.URL.Query().Get("joined_time") == "true"
	// The owner is entry 0, then the members in join order.
	start, end := pageBounds(g.count(), q.intQuery("pagenum", 1), 1, q.pageSize("pagesize", defaultMembersPage, maxMembersPage))
	page := make([]memberEntry, 0, end-start)
	for i := start; i < end; i++ {
		role, name := "owner", g.owner
		if i > 0 {
			role, name = "member", g.members.names[i-1]
		}
		e := memberEntry{role: name}
		if withTime {
			e["joined_time"] = g.joinedAt(name)
		}
		page = append(page, e)
	}
	env := q.groupAnswer(page).withCount(len(page))
	env.Params = q.r.URL.Query()
	return env, nil
}

// admit applies the rules of joining: the user exists, is not blocked and
// not in already, and the group has room.
func (q *request) admit(g *chatGroup, user string) *apiError {
	switch {
	case !q.w.userExists(user):
		return errGroupUserNotFound(user)
	case g.blocked.has(user):
		return errForbiddenOp("can not join this group, reason:user: " + user + " is blocked in group: " + g.id + "\n")
	case g.isMember(user):
		return errForbiddenOp("can not join this group, reason:user: " + user + " already in group: " + g.id + "\n")
	case g.count() >= g.maxUsers:
		return errExceed(descGroupFull)
	}
	return nil
}

func (w *world) userExists(name string) bool {
	_, ok := w.users.get(name)
	return ok
}

func addGroupMember(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	user := fold(q.param("username"))
	if aerr := q.admit(g, user); aerr != nil {
		return nil, aerr
	}
	q.w.joinGroup(g, user, q.now.UnixMilli())
	return q.groupAnswer(nameResult{Result: true, GroupID: g.id, Action: "add_member", User: user}), nil
}

// usernamesBody is the body of the batch calls that take {"usernames": [...]}.
type usernamesBody struct {
	Usernames []string `json:"usernames"`
}

// checkNames answers an empty list, and one longer than the op's cap with
// the op's documented error.
func checkNames(tooMany *apiError) func(q *request) *apiError {
	return func(q *request) *apiError {
		b, aerr := decodeBody[usernamesBody](q)
		switch {
		case aerr != nil:
			return aerr
		case len(b.Usernames) == 0:
			return errInvalidParameter("usernames must be provided")
		case len(b.Usernames) > maxGroupNames:
			return tooMany
		}
		for _, u := range b.Usernames {
			if !validUser(u) {
				return errIllegalArgument("username " + u + " is not legal")
			}
		}
		return nil
	}
}

// addGroupMembers adds every name that may join; the ones in already (or
// blocked) are left out of newmembers. It fails whole when a user does not
// exist, when none may join, or when the group has no room for them all.
func addGroupMembers(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[usernamesBody](q)
	fresh := []string{}
	var last *apiError
	for _, u := range b.Usernames {
		u = fold(u)
		if !q.w.userExists(u) {
			return nil, errGroupUserNotFound(u)
		}
		if g.isMember(u) || g.blocked.has(u) || slices.Contains(fresh, u) {
			last = q.admit(g, u)
			continue
		}
		fresh = append(fresh, u)
	}
	switch {
	case len(fresh) == 0:
		return nil, last
	case g.count()+len(fresh) > g.maxUsers:
		return nil, errExceed(descGroupFull)
	}
	ms := q.now.UnixMilli()
	for _, u := range fresh {
		q.w.joinGroup(g, u, ms)
	}
	return q.groupAnswer(map[string]any{"newmembers": fresh, "groupid": g.id, "action": "add_member"}), nil
}

// nameResult is one item of a per-user answer, and the data of a one-user call.
type nameResult struct {
	Result  bool   `json:"result"`
	Action  string `json:"action,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Expire  *int64 `json:"expire,omitempty"`
	User    string `json:"user"`
	GroupID string `json:"groupid,omitempty"`
}

// nameOp does one name's part of a call on a group: it returns "" when
// done, else the refusal's reason, and whether the user is not in the group.
type nameOp func(q *request, g *chatGroup, user string) (reason string, outsider bool)

// batchNames are the names of a per-user call: a path list or the body's.
func (q *request) batchNames() []string {
	var names []string
	if q.op.HasParam("usernames") {
		names = strings.Split(q.param("usernames"), ",")
	} else if b, _ := decodeBody[usernamesBody](q); b != nil {
		names = b.Usernames
	}
	for i := range names {
		names[i] = fold(names[i])
	}
	return names
}

// eachName runs do for every name and answers one item each; a call where
// every name is outside the group is refused whole, as the docs say.
func (q *request) eachName(g *chatGroup, action string, do nameOp) ([]nameResult, *apiError) {
	names := q.batchNames()
	out := make([]nameResult, 0, len(names))
	var outsiders []string
	for _, u := range names {
		reason, outsider := do(q, g, u)
		r := nameResult{Result: reason == "", Action: action, Reason: reason, User: u}
		if action != "" {
			r.GroupID = g.id
		}
		if outsider {
			outsiders = append(outsiders, u)
		}
		out = append(out, r)
	}
	if len(outsiders) == len(names) {
		return nil, errNotMembers(outsiders)
	}
	return out, nil
}

// perNameOp serves a per-user batch call.
func perNameOp(action string, do nameOp) handler {
	return func(q *request) (any, *apiError) {
		g, aerr := q.group()
		if aerr != nil {
			return nil, aerr
		}
		res, aerr := q.eachName(g, action, do)
		if aerr != nil {
			return nil, aerr
		}
		return q.groupAnswer(res), nil
	}
}

// singleName serves the one-user form of a per-user call: a refusal is
// the call's 403.
func singleName(action string, do nameOp) handler {
	return func(q *request) (any, *apiError) {
		g, aerr := q.group()
		if aerr != nil {
			return nil, aerr
		}
		user := fold(q.param("username"))
		if reason, outsider := do(q, g, user); outsider {
			return nil, errNotMembers([]string{user})
		} else if reason != "" {
			return nil, errForbiddenOp(reason)
		}
		return q.groupAnswer(nameResult{Result: true, Action: action, User: user, GroupID: g.id}), nil
	}
}

// member refuses the owner and non-members of a call that acts on members.
func member(g *chatGroup, user string) (string, bool) {
	switch {
	case user == g.owner:
		return descOnOwner, false
	case !g.members.has(user):
		return notInGroup(user, g.id), true
	}
	return "", false
}

func removeOne(q *request, g *chatGroup, user string) (string, bool) {
	if reason, outsider := member(g, user); reason != "" {
		return reason, outsider
	}
	q.w.leaveGroup(g, user)
	return "", false
}

var removeGroupMember = singleName("remove_member", removeOne)

// blockOne blocks a member: it leaves the group and cannot join again.
func blockOne(q *request, g *chatGroup, user string) (string, bool) {
	if reason, outsider := member(g, user); reason != "" {
		return reason, outsider
	}
	q.w.leaveGroup(g, user)
	g.blocked.add(user, q.now.UnixMilli())
	return "", false
}

func unblockOne(q *request, g *chatGroup, user string) (string, bool) {
	if !g.blocked.remove(user) {
		return "user: " + user + " is not in the blocklist of group: " + g.id, false
	}
	return "", false
}

func allowOne(q *request, g *chatGroup, user string) (string, bool) {
	if !g.isMember(user) {
		return notInGroup(user, g.id), true
	}
	g.allowed.add(user, q.now.UnixMilli())
	return "", false
}

func disallowOne(q *request, g *chatGroup, user string) (string, bool) {
	if !g.allowed.remove(user) {
		return "user: " + user + " is not in the allowlist of group: " + g.id, false
	}
	return "", false
}

// listRoster serves the lists of names: admins, blocklist, allowlist.
func listRoster(of func(*chatGroup) *roster) handler {
	return func(q *request) (any, *apiError) {
		g, aerr := q.group()
		if aerr != nil {
			return nil, aerr
		}
		names := of(g).list()
		return q.groupAnswer(names).withCount(len(names)), nil
	}
}

func addGroupAdmin(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	var b struct {
		NewAdmin string `json:"newadmin"`
	}
	_ = json.Unmarshal(q.body, &b)
	user := fold(b.NewAdmin)
	switch {
	case user == g.owner:
		return nil, errForbiddenOp(descOnOwner)
	case !g.members.has(user):
		return nil, &apiError{404, "resource_not_found", "ResourceNotFoundException", "user: " + user + " doesn't exist in group: " + g.id}
	case !g.admins.has(user) && g.admins.len() >= maxGroupAdmins:
		return nil, errExceed("group admin number more than max limit : 99")
	}
	g.admins.add(user, q.now.UnixMilli())
	return q.groupAnswer(map[string]string{"result": "success", "newadmin": user}), nil
}

func removeGroupAdmin(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	user := fold(q.param("username"))
	if !g.admins.remove(user) {
		return nil, errForbiddenOp("user:" + user + " is not admin of group:" + g.id)
	}
	return q.groupAnswer(map[string]string{"result": "success", "oldadmin": user}), nil
}

// muteEntry is one entry of groups.ListMuted.
type muteEntry struct {
	Expire int64  `json:"expire"`
	User   string `json:"user"`
}

func listMuted(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	ms := q.now.UnixMilli()
	data := []muteEntry{}
	for user, exp := range g.mutes {
		if g.muted(user, ms) {
			data = append(data, muteEntry{exp, user})
		}
	}
	slices.SortFunc(data, func(a, b muteEntry) int { return strings.Compare(a.User, b.User) })
	return q.groupAnswer(data), nil
}

type muteBody struct {
	Usernames []string `json:"usernames"`
	Duration  int64    `json:"mute_duration"`
}

var checkMute = checkNames(errInvalidParameter("userNames size is more than max limit : 60"))

// muteMembers mutes members until now + mute_duration ms; -1 is for good
// and 0 lifts a mute.
func muteMembers(q *request) (any, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[muteBody](q)
	expire := q.now.UnixMilli() + b.Duration
	if b.Duration < 0 {
		expire = -1
	}
	res, aerr := q.eachName(g, "", func(q *request, g *chatGroup, user string) (string, bool) {
		if reason, outsider := member(g, user); reason != "" {
			return reason, outsider
		}
		if b.Duration == 0 {
			delete(g.mutes, user)
		} else {
			g.mutes[user] = expire
		}
		return "", false
	})
	if aerr != nil {
		return nil, aerr
	}
	for i := range res {
		if res[i].Result {
			res[i].Expire = &expire
		}
	}
	return q.groupAnswer(res), nil
}

var unmuteMembers = perNameOp("", func(q *request, g *chatGroup, user string) (string, bool) {
	if !g.muted(user, q.now.UnixMilli()) {
		return "user: " + user + " is not muted in group: " + g.id, false
	}
	delete(g.mutes, user)
	return "", false
})
