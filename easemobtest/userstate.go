package easemobtest

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// userEntity is a user as the API shows it, fields in the docs' order.
type userEntity struct {
	UUID      string `json:"uuid"`
	Type      string `json:"type"`
	Created   int64  `json:"created"`
	Modified  int64  `json:"modified"`
	Username  string `json:"username"`
	Activated bool   `json:"activated"`
	Nickname  string `json:"nickname,omitempty"`
	userPush
}

// userPush are the push settings the user entity shows once set (the
// PUT /users/{username} settings and the push binding; see userareas_push.go).
type userPush struct {
	DisplayStyle   *int   `json:"notification_display_style,omitempty"`
	NoDisturbing   *bool  `json:"notification_no_disturbing,omitempty"`
	NoDisturbStart *int   `json:"notification_no_disturbing_start,omitempty"`
	NoDisturbEnd   *int   `json:"notification_no_disturbing_end,omitempty"`
	NotifierName   string `json:"notifier_name,omitempty"`
	DeviceToken    string `json:"device_token,omitempty"`
}

// withoutExtras is the entity as the user-token response shows it.
func (u userEntity) withoutExtras() userEntity {
	u.Nickname, u.userPush = "", userPush{}
	return u
}

type user struct {
	userEntity
	password  string
	seq       uint64   // creation order; cursors point at it
	resources []string // online devices; empty means offline
}

// userState holds the App Key's users; the world's lock guards it. Names
// are stored lower-case: user IDs are case-insensitive.
type userState struct {
	byName map[string]*user
	order  []*user // ascending seq
	seq    uint64
	limit  int // plan quota of registered users; 0 = unlimited
}

func fold(name string) string { return strings.ToLower(name) }

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// create registers entries in order; an existing name becomes a failure.
// Nothing is created when the new users would pass the plan quota.
func (s *userState) create(entries []regEntry, now time.Time) ([]userEntity, []regFailure, *apiError) {
	if s.limit > 0 {
		fresh := map[string]bool{}
		for _, en := range entries {
			if n := fold(en.Username); s.byName[n] == nil {
				fresh[n] = true
			}
		}
		if len(s.byName)+len(fresh) > s.limit {
			return nil, nil, errPlanLimit()
		}
	}
	ms := now.UnixMilli()
	created := []userEntity{}
	var failed []regFailure
	for _, en := range entries {
		name := fold(en.Username)
		if s.byName[name] != nil {
			failed = append(failed, alreadyExists(name))
			continue
		}
		s.seq++
		u := &user{
			userEntity: userEntity{UUID: newUUID(), Type: "user", Created: ms, Modified: ms,
				Username: name, Activated: true, Nickname: en.Nickname},
			password: en.Password,
			seq:      s.seq,
		}
		s.byName[name] = u
		s.order = append(s.order, u)
		created = append(created, u.userEntity)
	}
	return created, failed, nil
}

func alreadyExists(name string) regFailure {
	return regFailure{name, "the " + name + " already exists"}
}

// taken lists the entries whose name is registered already.
func (s *userState) taken(entries []regEntry) []regFailure {
	var out []regFailure
	for _, en := range entries {
		if name := fold(en.Username); s.byName[name] != nil {
			out = append(out, alreadyExists(name))
		}
	}
	return out
}

func (s *userState) get(name string) (userEntity, bool) {
	if u := s.byName[fold(name)]; u != nil {
		return u.userEntity, true
	}
	return userEntity{}, false
}

func (s *userState) passwordMatches(name, password string) bool {
	u := s.byName[fold(name)]
	// Users auto-created by the inherit grant have no password to log in with.
	return u != nil && u.password != "" && u.password == password
}

// update applies fn to the user and returns the result.
func (s *userState) update(name string, fn func(*user)) (userEntity, bool) {
	u := s.byName[fold(name)]
	if u == nil {
		return userEntity{}, false
	}
	fn(u)
	return u.userEntity, true
}

func (s *userState) setResources(name string, res []string) bool {
	_, ok := s.update(name, func(u *user) { u.resources = slices.Clone(res) })
	return ok
}

// resources returns the user's online devices; ok is false for no such user.
func (s *userState) resources(name string) (res []string, ok bool) {
	u := s.byName[fold(name)]
	if u == nil {
		return nil, false
	}
	return slices.Clone(u.resources), true
}

// from returns the index in order of the first user with seq >= after.
func (s *userState) from(after uint64) int {
	return sort.Search(len(s.order), func(i int) bool { return s.order[i].seq >= after })
}

// page returns up to limit users from cursor position after, in creation
// order, and the position of the next page (0 when this is the last).
func (s *userState) page(after uint64, limit int) ([]userEntity, uint64) {
	i := s.from(after)
	j := min(i+limit, len(s.order))
	out := make([]userEntity, 0, j-i)
	for _, u := range s.order[i:j] {
		out = append(out, u.userEntity)
	}
	if j < len(s.order) {
		return out, s.order[j].seq
	}
	return out, 0
}

// removeAt drops the user at index i of the creation order from this
// module only; world.removeUser also cascades.
func (s *userState) removeAt(i int) userEntity {
	u := s.order[i]
	delete(s.byName, u.Username)
	s.order = slices.Delete(s.order, i, i+1)
	return u.userEntity
}

// deleteUser deletes the named user and its state in every module.
func (w *world) deleteUser(name string) (userEntity, bool) {
	u := w.users.byName[fold(name)]
	if u == nil {
		return userEntity{}, false
	}
	return w.removeUser(w.users.from(u.seq)), true
}

// deleteUserPage deletes what page would return and returns it likewise.
func (w *world) deleteUserPage(after uint64, limit int) ([]userEntity, uint64) {
	s := &w.users
	i := s.from(after)
	n := min(limit, len(s.order)-i)
	out := make([]userEntity, 0, n)
	for range n {
		out = append(out, w.removeUser(i))
	}
	if i < len(s.order) {
		return out, s.order[i].seq
	}
	return out, 0
}

// Cursors are opaque to clients; inside they are a creation sequence number.
const cursorPrefix = "emu:"

func encodeCursor(seq uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatUint(seq, 10)))
}

func decodeCursor(c string) (uint64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	rest, ok := strings.CutPrefix(string(b), cursorPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(rest, 10, 64)
	return n, err == nil
}
