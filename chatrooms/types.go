package chatrooms

import (
	"encoding/json"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// Chatroom is a room's details as chatrooms.Get returns them.
type Chatroom struct {
	ID          string
	Name        string
	Description string
	Owner       string
	// Custom is the room's custom extension text.
	Custom string
	// MaxUsers is the member limit, owner included.
	MaxUsers int
	Created  time.Time
	// MemberCount is the number of members, owner included (affiliations_count).
	MemberCount int
	// Members lists the owner and the members (admins among them), in no
	// documented order (affiliations).
	Members      []Member
	MembersOnly  bool
	AllowInvites bool
	// Public is reserved by the server.
	Public bool
	// AllMuted: the whole room is muted (mute, newer docs).
	AllMuted bool
	// Extra holds the fields Chatroom does not type.
	Extra map[string]json.RawMessage
}

var chatroomFields = []string{"id", "name", "description", "owner", "custom", "maxusers", "created",
	"affiliations_count", "affiliations", "membersonly", "allowinvites", "public", "mute"}

// UnmarshalJSON reads the documented fields loosely (numbers and booleans
// may come as strings) and keeps the rest in Extra.
func (r *Chatroom) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	var members []Member
	if err := o.Decode("affiliations", &members); err != nil {
		return err
	}
	maxUsers, _ := o.Int64("maxusers")
	count, _ := o.Int64("affiliations_count")
	membersOnly, _ := o.Bool("membersonly")
	allowInvites, _ := o.Bool("allowinvites")
	public, _ := o.Bool("public")
	muted, _ := o.Bool("mute")
	*r = Chatroom{
		ID: o.String("id"), Name: o.String("name"), Description: o.String("description"),
		Owner: o.String("owner"), Custom: o.String("custom"),
		MaxUsers: int(maxUsers), Created: o.Millis("created"), MemberCount: int(count), Members: members,
		MembersOnly: membersOnly, AllowInvites: allowInvites, Public: public, AllMuted: muted,
	}
	r.Extra = o.Rest(chatroomFields...)
	return nil
}

// Member is one entry of a room's member list: {"owner": "u"} or {"member": "u"}.
type Member struct {
	Username string
	// Owner marks the room's owner; admins are plain members here.
	Owner bool
}

// UnmarshalJSON reads {"owner": "u"} or {"member": "u"}.
func (m *Member) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	if owner := o.String("owner"); owner != "" {
		*m = Member{Username: owner, Owner: true}
		return nil
	}
	*m = Member{Username: o.String("member")}
	return nil
}

// Summary is a room as the lists show it: chatrooms.List fills ID, Name,
// Owner and MemberCount; chatrooms.ListJoinedByUser ID, Name and Disabled.
type Summary struct {
	ID    string
	Name  string
	Owner string
	// MemberCount counts the owner too (affiliations_count).
	MemberCount int
	// Disabled: the room is banned.
	Disabled bool
}

// UnmarshalJSON reads the fields of both lists; disabled comes as "false".
func (s *Summary) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	count, _ := o.Int64("affiliations_count")
	disabled, _ := o.Bool("disabled")
	*s = Summary{ID: o.String("id"), Name: o.String("name"), Owner: o.String("owner"), MemberCount: int(count), Disabled: disabled}
	return nil
}

// NewChatroom is a room to create.
type NewChatroom struct {
	// Name (at most 128 characters), Description (at most 512) and Owner
	// are required.
	Name        string `json:"name"`
	Description string `json:"description"`
	Owner       string `json:"owner"`
	// MaxUsers limits the members, owner included: 1 to 10,000; 0 takes
	// the server's default (1000).
	MaxUsers int `json:"maxusers,omitempty"`
	// Members join at once; the owner is not listed. At most MaxUsers.
	Members []string `json:"members,omitempty"`
	// Custom is extension text (at most 8 KB).
	Custom string `json:"custom,omitempty"`
	// RoomID asks for a custom ID of 1 to 64 of a-z and 0-9; a feature
	// sales must enable. Empty lets the server make one.
	RoomID string `json:"roomid,omitempty"`
}

// Changes are the room fields to change; zero values are left alone.
type Changes struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	MaxUsers    int    `json:"maxusers,omitempty"`
}

// Updated says which of the fields sent the server changed.
type Updated struct {
	Name        bool
	Description bool
	MaxUsers    bool
}

// UnmarshalJSON reads the answer, which names the room name "groupname".
func (u *Updated) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	u.Name, _ = o.Bool("groupname")
	if !u.Name {
		u.Name, _ = o.Bool("name")
	}
	u.Description, _ = o.Bool("description")
	u.MaxUsers, _ = o.Bool("maxusers")
	return nil
}

// Expiry is when a mute ends.
type Expiry struct {
	// At is the end; zero when Forever or not muted.
	At time.Time
	// Forever: muted until lifted (-1 on the wire).
	Forever bool
}

// Active reports whether the mute still holds at now.
func (e Expiry) Active(now time.Time) bool { return e.Forever || e.At.After(now) }

// UnmarshalJSON reads milliseconds since the epoch, as a number or a
// string; -1 is Forever and 0 no mute.
func (e *Expiry) UnmarshalJSON(b []byte) error {
	var ms core.Int64
	if err := json.Unmarshal(b, &ms); err != nil {
		return err
	}
	*e = expiryOf(int64(ms))
	return nil
}

func expiryOf(ms int64) Expiry {
	switch {
	case ms == -1:
		return Expiry{Forever: true}
	case ms <= 0:
		return Expiry{}
	}
	return Expiry{At: time.UnixMilli(ms)}
}

// Mute is one entry of a room's mute list.
type Mute struct {
	Username string `json:"user"`
	Until    Expiry `json:"expire"`
}

// Attribute is one custom attribute of a room.
type Attribute struct {
	Key, Value string
}

// AutoDelete says whether a member's attributes go when the member leaves.
type AutoDelete string

// AutoDelete values; "" leaves the choice to the server (DeleteOnLeave).
const (
	DeleteOnLeave AutoDelete = "DELETE"
	KeepOnLeave   AutoDelete = "NO_DELETE"
)

// Forever, as a mute duration, mutes until the mute is lifted.
const Forever time.Duration = -1
