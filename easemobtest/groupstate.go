package easemobtest

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// chatGroupState is the world's state of groups, members, roles, block and
// allow lists, mutes, announcements, shared files and member attributes.
// Names are stored lower-case, as users are.
type chatGroupState struct {
	byID  map[string]*chatGroup
	order []*chatGroup // creation order, oldest first
	seq   uint64
	// joined indexes the groups each user is in, as owner or member.
	joined map[string]map[string]*chatGroup
}

// chatGroup is one group.
type chatGroup struct {
	id  string
	seq uint64

	name, description, avatar, custom     string
	public, membersOnly, allowInvites     bool
	inviteNeedConfirm, disabled, allMuted bool
	maxUsers                              int
	owner                                 string
	created, modified                     int64

	members roster // everyone but the owner, in join order
	admins  roster
	blocked roster
	allowed roster
	// mutes holds each muted user's expiry in ms, -1 for good.
	mutes        map[string]int64
	announcement string
	files        []*sharedFile
	attrs        map[string]map[string]string // member -> custom attributes
}

// sharedFile is a file shared in a group.
type sharedFile struct {
	ID      string `json:"file_id"`
	Name    string `json:"file_name"`
	Owner   string `json:"file_owner"`
	Size    int    `json:"file_size"`
	Created int64  `json:"created"`
	content []byte
}

// roster is an ordered set of user names, each with the time it was added.
type roster struct {
	names []string
	at    map[string]int64
}

func (r *roster) has(name string) bool { _, ok := r.at[name]; return ok }

func (r *roster) len() int { return len(r.names) }

// add appends name; false if it is there already.
func (r *roster) add(name string, ms int64) bool {
	if r.has(name) {
		return false
	}
	if r.at == nil {
		r.at = map[string]int64{}
	}
	r.at[name] = ms
	r.names = append(r.names, name)
	return true
}

// remove drops name; false if it was not there.
func (r *roster) remove(name string) bool {
	if !r.has(name) {
		return false
	}
	delete(r.at, name)
	r.names = slices.Delete(r.names, slices.Index(r.names, name), slices.Index(r.names, name)+1)
	return true
}

// list returns the names in order, never nil (the answers show []).
func (r *roster) list() []string { return append([]string{}, r.names...) }

// firstGroupID is the first generated group ID: the docs' ids are
// 15-digit numbers.
const firstGroupID = 200000000000000

func (s *chatGroupState) get(id string) *chatGroup {
	return s.byID[id]
}

// create adds a checked group and indexes its owner and members.
func (s *chatGroupState) create(g *chatGroup) {
	if s.byID == nil {
		s.byID, s.joined = map[string]*chatGroup{}, map[string]map[string]*chatGroup{}
	}
	s.seq++
	g.seq = s.seq
	if g.id == "" {
		g.id = strconv.FormatUint(firstGroupID+s.seq, 10)
	}
	s.byID[g.id] = g
	s.order = append(s.order, g)
	s.index(g.owner, g)
	for _, m := range g.members.names {
		s.index(m, g)
	}
}

func (s *chatGroupState) index(user string, g *chatGroup) {
	if s.joined[user] == nil {
		s.joined[user] = map[string]*chatGroup{}
	}
	s.joined[user][g.id] = g
}

func (s *chatGroupState) unindex(user string, g *chatGroup) {
	delete(s.joined[user], g.id)
	if len(s.joined[user]) == 0 {
		delete(s.joined, user)
	}
}

// remove drops a group from the state; world.deleteGroup also cascades.
func (s *chatGroupState) remove(g *chatGroup) {
	delete(s.byID, g.id)
	i := sort.Search(len(s.order), func(i int) bool { return s.order[i].seq >= g.seq })
	s.order = slices.Delete(s.order, i, i+1)
	s.unindex(g.owner, g)
	for _, m := range g.members.names {
		s.unindex(m, g)
	}
}

// page returns up to limit groups, newest first, from the group with seq
// at most before (0: the newest), and the seq the next page starts at (0
// on the last page).
func (s *chatGroupState) page(before uint64, limit int) ([]*chatGroup, uint64) {
	i := len(s.order) - 1
	if before != 0 {
		i = sort.Search(len(s.order), func(i int) bool { return s.order[i].seq > before }) - 1
	}
	var out []*chatGroup
	for ; i >= 0 && len(out) < limit; i-- {
		out = append(out, s.order[i])
	}
	if i >= 0 {
		return out, s.order[i].seq
	}
	return out, 0
}

// joinedBy returns the groups user is in, in the order the user joined them.
func (s *chatGroupState) joinedBy(user string) []*chatGroup {
	var out []*chatGroup
	for _, g := range s.joined[user] {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *chatGroup) int {
		return cmp.Or(cmp.Compare(a.joinedAt(user), b.joinedAt(user)), cmp.Compare(a.seq, b.seq))
	})
	return out
}

func (g *chatGroup) isMember(user string) bool { return user == g.owner || g.members.has(user) }

// count is the number of members, the owner included.
func (g *chatGroup) count() int { return g.members.len() + 1 }

func (g *chatGroup) joinedAt(user string) int64 {
	if user == g.owner {
		return g.created
	}
	return g.members.at[user]
}

// muted reports a mute in force at ms, dropping one that has expired.
func (g *chatGroup) muted(user string, ms int64) bool {
	exp, ok := g.mutes[user]
	if ok && exp >= 0 && exp <= ms {
		delete(g.mutes, user)
		return false
	}
	return ok
}

// join adds a member and indexes it.
func (w *world) joinGroup(g *chatGroup, user string, ms int64) {
	if g.members.add(user, ms) {
		w.groups.index(user, g)
	}
}

// leaveGroup takes a member out of the group and its roles; a mute stays
// (the docs: it outlasts leaving and rejoining).
func (w *world) leaveGroup(g *chatGroup, user string) {
	if !g.members.remove(user) {
		return
	}
	g.admins.remove(user)
	g.allowed.remove(user)
	delete(g.attrs, user)
	w.groups.unindex(user, g)
}

// deleteGroup dissolves a group and runs every module's group cascade.
func (w *world) deleteGroup(g *chatGroup) {
	w.groups.remove(g)
	w.dissolveGroup(g.id)
}

// dropUserFromGroups is the users cascade: a deleted user's groups are
// dissolved, it leaves the others, and no list keeps its name.
func (w *world) dropUserFromGroups(user string) {
	for _, g := range w.groups.joinedBy(user) {
		if g.owner == user {
			w.deleteGroup(g)
		} else {
			w.leaveGroup(g, user)
		}
	}
	for _, g := range w.groups.order {
		g.blocked.remove(user)
		delete(g.mutes, user)
	}
}

func init() { userCascade = append(userCascade, (*world).dropUserFromGroups) }

// AddGroup creates a private group owned by owner with the given members
// directly, bypassing HTTP, auth and quotas, for seeding test data (ten
// thousand members, say), and returns its ID. Owner and members must be
// registered users; the group's member bound is the default 200 or as many
// as it holds. Nothing is created when a user is missing.
func (e *Emulator) AddGroup(owner string, members ...string) (string, error) {
	return e.addGroup("", owner, members)
}

// AddGroupWithID is AddGroup with the group's ID chosen by the test, as a
// custom ID given to groups.Create would be; the ID must be free.
func (e *Emulator) AddGroupWithID(id, owner string, members ...string) error {
	_, err := e.addGroup(id, owner, members)
	return err
}

func (e *Emulator) addGroup(custom, owner string, members []string) (string, error) {
	var id string
	var err error
	e.world.locked(func() {
		w := e.world
		ms := e.now().UnixMilli()
		g := &chatGroup{owner: fold(owner), maxUsers: max(defaultGroupMaxUsers, len(members)+1), inviteNeedConfirm: true,
			created: ms, modified: ms, mutes: map[string]int64{}, attrs: map[string]map[string]string{}}
		for _, name := range append([]string{owner}, members...) {
			if !w.userExists(name) {
				err = fmt.Errorf("easemobtest: no user %q", name)
				return
			}
			if n := fold(name); n != g.owner {
				g.members.add(n, ms)
			}
		}
		if custom != "" {
			if w.groups.get(custom) != nil {
				err = fmt.Errorf("easemobtest: group %q exists", custom)
				return
			}
			g.id = custom
		}
		w.groups.create(g)
		id = g.id
	})
	return id, err
}

// The threads module checks thread owners against group rosters.
func init() {
	groupRoster = func(w *world, id string) ([]string, bool) {
		g := w.groups.get(id)
		if g == nil {
			return nil, false
		}
		return append([]string{g.owner}, g.members.names...), true
	}
}
