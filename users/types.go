package users

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// User is a user entity as the server returns it.
type User struct {
	UUID      string
	Username  string
	Nickname  string
	Activated bool
	Created   time.Time
	Modified  time.Time
	// Push settings, present only when set.
	NotificationDisplayStyle *int
	NotificationNoDisturbing *bool
	NotifierName             string
	// Extra holds every other field (e.g. notification_ignore_{groupId}).
	Extra map[string]json.RawMessage
}

// UnmarshalJSON keeps the known fields typed and the rest in Extra.
func (u *User) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var known struct {
		UUID                     string     `json:"uuid"`
		Username                 string     `json:"username"`
		Nickname                 string     `json:"nickname"`
		Activated                *core.Bool `json:"activated"`
		Created                  core.Int64 `json:"created"`
		Modified                 core.Int64 `json:"modified"`
		NotificationNoDisturbing *core.Bool `json:"notification_no_disturbing"`
		NotifierName             string     `json:"notifier_name"`
	}
	if err := json.Unmarshal(b, &known); err != nil {
		return err
	}
	*u = User{
		UUID: known.UUID, Username: known.Username, Nickname: known.Nickname,
		Activated:    known.Activated == nil || bool(*known.Activated),
		Created:      millis(known.Created),
		Modified:     millis(known.Modified),
		NotifierName: known.NotifierName,
	}
	if v, ok := raw["notification_display_style"]; ok {
		var n core.Int64
		if json.Unmarshal(v, &n) == nil {
			style := int(n)
			u.NotificationDisplayStyle = &style
		}
	}
	if known.NotificationNoDisturbing != nil {
		b := bool(*known.NotificationNoDisturbing)
		u.NotificationNoDisturbing = &b
	}
	for _, k := range []string{"uuid", "type", "username", "nickname", "activated", "created", "modified",
		"notification_display_style", "notification_no_disturbing", "notifier_name"} {
		delete(raw, k)
	}
	if len(raw) > 0 {
		u.Extra = raw
	}
	return nil
}

func millis(ms core.Int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(ms))
}

// NewUser is an account to register.
type NewUser struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Nickname is the push display name (at most 100 characters); optional.
	Nickname string `json:"nickname,omitempty"`
}

// String prints the account without its password.
func (u NewUser) String() string {
	return "users.NewUser{Username: " + strconv.Quote(u.Username) + ", Password: [redacted]}"
}

// GoString is String, so %#v does not print the password either.
func (u NewUser) GoString() string { return u.String() }

// Device is one device a user is logged in on.
type Device struct {
	// Resource is the device resource ID, e.g. "android_123423453246".
	Resource string `json:"res"`
	UUID     string `json:"device_uuid"`
	Name     string `json:"device_name"`
}

// Delivery is the delivery state of an offline message.
type Delivery string

// Delivery states.
const (
	Delivered   Delivery = "delivered"
	Undelivered Delivery = "undelivered"
)
