package easemobtest

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/emquota/easemob/internal/rules"
)

// nameSet is an ordered set of names (users or room IDs): insertion
// order, constant-time lookup.
type nameSet struct {
	list []string
	has  map[string]bool
}

func (s *nameSet) contains(n string) bool { return s.has[n] }
func (s *nameSet) len() int               { return len(s.list) }
func (s *nameSet) items() []string        { return slices.Clone(s.list) }

// add reports whether n was new.
func (s *nameSet) add(n string) bool {
	if s.has[n] {
		return false
	}
	if s.has == nil {
		s.has = map[string]bool{}
	}
	s.has[n] = true
	s.list = append(s.list, n)
	return true
}

// remove reports whether n was there.
func (s *nameSet) remove(n string) bool {
	if !s.has[n] {
		return false
	}
	delete(s.has, n)
	i := slices.Index(s.list, n)
	s.list = slices.Delete(s.list, i, i+1)
	return true
}

// chatroomState holds the App Key's chatrooms; the world's lock guards it.
// User IDs are stored lower-case.
type chatroomState struct {
	byID  map[string]*chatroom
	order []*chatroom // ascending seq: the order of List
	seq   uint64
	// joined lists, per user, the rooms the user owns or is a member of,
	// in join order.
	joined map[string]*nameSet
	supers nameSet // super admins, in the order made
	// tagsOff emulates an app where sales have not enabled tag muting.
	tagsOff bool
}

// chatroom is one room. The owner is not among members.
type chatroom struct {
	id, name, description, custom string
	owner, announcement           string
	maxUsers                      int
	created                       int64
	seq                           uint64
	members, admins               nameSet
	blocked, allowed, muted       nameSet
	muteUntil                     map[string]int64 // expiry in ms of each muted user; -1 for good
	allMuted                      bool
	attrs                         map[string]*roomAttr
	tags                          map[string][]string // member -> its tags
	tagMutes                      map[string]int64    // tag -> expiry in ms; -1 for good
}

// roomAttr is one custom attribute and the member who set it.
type roomAttr struct {
	value, owner string
	autoDelete   bool // goes when its owner leaves
}

// roomIDBase makes generated IDs look like the server's (15 digits).
const roomIDBase = 200_000_000_000_000

func (s *chatroomState) init() {
	if s.byID == nil {
		s.byID, s.joined = map[string]*chatroom{}, map[string]*nameSet{}
	}
}

// room returns the room with the id, or nil.
func (s *chatroomState) room(id string) *chatroom {
	s.init()
	return s.byID[id]
}

// create adds a room owned by owner, with members (checked already) and a
// custom id when given.
func (s *chatroomState) create(r *chatroom, members []string) *chatroom {
	s.init()
	s.seq++
	r.seq = s.seq
	for n := s.seq; r.id == ""; n++ { // a custom ID may hold the next one
		if id := strconv.FormatUint(roomIDBase+n, 10); s.byID[id] == nil {
			r.id = id
		}
	}
	r.muteUntil, r.attrs, r.tags, r.tagMutes = map[string]int64{}, map[string]*roomAttr{}, map[string][]string{}, map[string]int64{}
	s.byID[r.id] = r
	s.order = append(s.order, r)
	s.joinedBy(r.owner).add(r.id)
	for _, m := range members {
		if m != r.owner && r.members.add(m) {
			s.joinedBy(m).add(r.id)
		}
	}
	return r
}

func (s *chatroomState) joinedBy(user string) *nameSet {
	set := s.joined[user]
	if set == nil {
		set = &nameSet{}
		s.joined[user] = set
	}
	return set
}

// delete dissolves a room.
func (s *chatroomState) delete(r *chatroom) {
	for _, u := range append(r.members.items(), r.owner) {
		if set := s.joined[u]; set != nil {
			set.remove(r.id)
		}
	}
	delete(s.byID, r.id)
	i := s.from(r.seq)
	s.order = slices.Delete(s.order, i, i+1)
}

// from returns the index in order of the first room with seq >= after.
func (s *chatroomState) from(after uint64) int {
	i, _ := slices.BinarySearchFunc(s.order, after, func(x *chatroom, seq uint64) int { return cmp.Compare(x.seq, seq) })
	return i
}

// page returns up to limit rooms from cursor position after, in creation
// order, and the position of the next page (0 on the last).
func (s *chatroomState) page(after uint64, limit int) ([]*chatroom, uint64) {
	i := s.from(after)
	j := min(i+limit, len(s.order))
	out := slices.Clone(s.order[i:j])
	if j < len(s.order) {
		return out, s.order[j].seq
	}
	return out, 0
}

func (r *chatroom) isMember(u string) bool { return u == r.owner || r.members.contains(u) }

// count is the number of members, owner included (affiliations_count).
func (r *chatroom) count() int { return 1 + r.members.len() }

// full reports that n more members would pass maxusers.
func (r *chatroom) full(n int) bool { return r.count()+n > r.maxUsers }

// join adds a user who may join (not blocked, room not full).
func (s *chatroomState) join(r *chatroom, u string) {
	if r.members.add(u) {
		s.joinedBy(u).add(r.id)
	}
}

// leave takes a member out of a room: its roles, allow-list place, tags
// and auto-deleted attributes go; a mute stays (the docs: it outlives
// leaving and rejoining).
func (s *chatroomState) leave(r *chatroom, u string) {
	if !r.members.remove(u) {
		return
	}
	if set := s.joined[u]; set != nil {
		set.remove(r.id)
	}
	r.admins.remove(u)
	r.allowed.remove(u)
	delete(r.tags, u)
	for k, a := range r.attrs {
		if a.owner == u && a.autoDelete {
			delete(r.attrs, k)
		}
	}
}

// mute records a mute of ms milliseconds from now (-1 for good); 0 lifts it.
func (r *chatroom) mute(u string, nowMs, ms int64) int64 {
	if ms == 0 {
		r.unmute(u)
		return 0
	}
	until := int64(-1)
	if ms > 0 {
		until = nowMs + ms
	}
	r.muted.add(u)
	r.muteUntil[u] = until
	return until
}

func (r *chatroom) unmute(u string) {
	r.muted.remove(u)
	delete(r.muteUntil, u)
}

// expireMutes lifts the mutes that ended by now.
func (r *chatroom) expireMutes(nowMs int64) {
	for _, u := range r.muted.items() {
		if until := r.muteUntil[u]; until != -1 && until <= nowMs {
			r.unmute(u)
		}
	}
	for tag, until := range r.tagMutes {
		if until != -1 && until <= nowMs {
			delete(r.tagMutes, tag)
		}
	}
}

// dropChatroomUser removes a deleted user from every room: rooms it owns are
// dissolved, the others left, and every list cleared of it.
func (w *world) dropChatroomUser(name string) {
	s := &w.chatrooms
	s.init()
	s.supers.remove(name)
	set := s.joined[name]
	delete(s.joined, name) // first, so leaving each room need not edit it
	if set != nil {
		for _, id := range set.list {
			if r := s.byID[id]; r != nil && r.owner == name {
				s.delete(r)
			} else if r != nil {
				s.leave(r, name)
			}
		}
	}
	for _, r := range s.order {
		r.blocked.remove(name)
		r.unmute(name)
		for k, a := range r.attrs {
			if a.owner == name {
				delete(r.attrs, k)
			}
		}
	}
}

func init() { userCascade = append(userCascade, (*world).dropChatroomUser) }

// maxUsersOf is the member limit a create asks for, or the default.
func maxUsersOf(n int) int {
	if n == 0 {
		return rules.DefaultChatroomMaxUsers
	}
	return n
}
