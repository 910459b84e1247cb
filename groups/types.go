package groups

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// Group is one entry of the app's group list (groups.List).
type Group struct {
	ID   string
	Name string
	// Owner is the owner's user ID; QualifiedOwner is the owner as the list
	// gives it, prefixed with the App Key ("org#app_user1").
	Owner          string
	QualifiedOwner string
	// Members counts the members, the owner included (affiliations).
	Members  int
	Modified time.Time
	// Extra holds every other field (type is always "group").
	Extra map[string]json.RawMessage
}

var groupFields = []string{"groupid", "groupname", "owner", "affiliations", "lastModified", "last_modified", "type"}

// UnmarshalJSON reads both spellings of the modification time
// (lastModified, and last_modified of older docs), as a number or a string.
func (g *Group) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	n, _ := o.Int64("affiliations")
	modified := o.Millis("lastModified")
	if modified.IsZero() {
		modified = o.Millis("last_modified")
	}
	owner := o.String("owner")
	*g = Group{ID: o.String("groupid"), Name: o.String("groupname"), Owner: unqualified(owner),
		QualifiedOwner: owner, Members: int(n), Modified: modified}
	g.Extra = o.Rest(groupFields...)
	return nil
}

// unqualified strips the "org#app_" prefix the group list puts before a
// user ID: app names have no '_', so the first one after '#' ends it.
func unqualified(owner string) string {
	_, rest, ok := strings.Cut(owner, "#")
	if !ok {
		return owner
	}
	if _, user, ok := strings.Cut(rest, "_"); ok {
		return user
	}
	return owner
}

// Settings are the settings a group has, as details and joined-group
// lists show them.
type Settings struct {
	Name        string
	Description string
	Avatar      string
	// Public groups can be found and applied to; private ones only invite.
	Public bool
	// MembersOnly: joining needs the approval of the owner or an admin.
	MembersOnly bool
	// AllowInvites: ordinary members may invite users.
	AllowInvites bool
	// MaxUsers bounds the members, the owner included.
	MaxUsers int
	Disabled bool
}

func readSettings(o core.Object, name string) Settings {
	n, _ := o.Int64("maxusers")
	s := Settings{Name: o.String(name), Description: o.String("description"), Avatar: o.String("avatar"), MaxUsers: int(n)}
	s.Public, _ = o.Bool("public")
	s.MembersOnly, _ = o.Bool("membersonly")
	s.AllowInvites, _ = o.Bool("allowinvites")
	s.Disabled, _ = o.Bool("disabled")
	return s
}

var settingsFields = []string{"description", "avatar", "public", "membersonly", "allowinvites", "maxusers", "disabled"}

// Details are a group's details (groups.Get).
type Details struct {
	ID    string
	Owner string
	Settings
	Custom  string
	Created time.Time
	// AllMuted: the whole group is muted (MuteAll).
	AllMuted bool
	// MemberCount counts the members, the owner included.
	MemberCount int
	// Members lists up to 10 000 members: the owner and the others (admins
	// are listed as members).
	Members []Member
	Extra   map[string]json.RawMessage
}

// UnmarshalJSON reads the details loosely.
func (d *Details) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	var members []Member
	if err := o.Decode("affiliations", &members); err != nil {
		return err
	}
	count, _ := o.Int64("affiliations_count")
	*d = Details{ID: o.String("id"), Owner: o.String("owner"), Settings: readSettings(o, "name"),
		Custom: o.String("custom"), Created: o.Millis("created"), MemberCount: int(count), Members: members}
	d.AllMuted, _ = o.Bool("mute")
	d.Extra = o.Rest(append(settingsFields, "id", "name", "owner", "custom", "created", "mute", "affiliations_count", "affiliations")...)
	return nil
}

// JoinedGroup is one group of a user's joined-group list (ListJoined).
type JoinedGroup struct {
	ID    string
	Owner string
	Settings
	Created time.Time
	Extra   map[string]json.RawMessage
}

// UnmarshalJSON reads groupId, falling back to id (the answer has both).
func (j *JoinedGroup) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	id := o.String("groupId")
	if id == "" {
		id = o.String("id")
	}
	*j = JoinedGroup{ID: id, Owner: o.String("owner"), Settings: readSettings(o, "name"), Created: o.Millis("created")}
	j.Extra = o.Rest(append(settingsFields, "groupId", "id", "name", "owner", "created")...)
	return nil
}

// GroupRef is a group of the legacy joined-group list: id and name.
type GroupRef struct {
	ID   string `json:"groupid"`
	Name string `json:"groupname"`
}

// Role is a member's place in a group.
type Role string

// Roles as member lists give them; admins are listed as members.
const (
	Owner Role = "owner"
	Plain Role = "member"
)

// Member is one entry of a member list: {"owner": "u"} or {"member": "u"}.
type Member struct {
	Username string
	Role     Role
	// Joined is when the user joined, when asked for (MembersParams.JoinedTime).
	Joined time.Time
}

// UnmarshalJSON reads the one-key entry and joined_time as a number or a string.
func (m *Member) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*m = Member{Joined: o.Millis("joined_time")}
	for _, r := range []Role{Owner, Plain} {
		if name := o.String(string(r)); name != "" {
			m.Username, m.Role = name, r
		}
	}
	return nil
}

// SharedFile is a file shared in a group.
type SharedFile struct {
	ID      string
	Name    string
	Owner   string // the uploader's user ID
	Size    int64  // bytes
	Created time.Time
	// URL and GroupID are set on an upload's answer.
	URL     string
	GroupID string
}

// UnmarshalJSON reads the size and time loosely.
func (f *SharedFile) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	size, _ := o.Int64("file_size")
	*f = SharedFile{ID: o.String("file_id"), Name: o.String("file_name"), Owner: o.String("file_owner"),
		Size: size, Created: o.Millis("created"), URL: o.String("file_url"), GroupID: o.String("group_id")}
	return nil
}

// Mute is a member's mute: until Expire, or for good when Forever.
type Mute struct {
	Username string
	Expire   time.Time
	Forever  bool
}

// UnmarshalJSON reads expire in milliseconds; -1 is a mute for good.
func (m *Mute) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*m = muteOf(o)
	return nil
}

// muteOf reads a mute from its list entry or its per-user mute result.
func muteOf(o core.Object) Mute {
	m := Mute{Username: o.String("user")}
	if n, _ := o.Int64("expire"); n < 0 {
		m.Forever = true
	} else {
		m.Expire = o.Millis("expire")
	}
	return m
}
