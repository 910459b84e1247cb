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
	// Push settings, present only when set: the display style
	// (SetPushDisplayStyle), the legacy do-not-disturb window and its hours
	// (SetNoDisturbLegacy), and the certificate and device token of the
	// push binding (BindPush).
	NotificationDisplayStyle      *int
	NotificationNoDisturbing      *bool
	NotificationNoDisturbingStart *int
	NotificationNoDisturbingEnd   *int
	NotifierName                  string
	DeviceToken                   string
	// Extra holds every other field (e.g. notification_ignore_{groupId}).
	Extra map[string]json.RawMessage
}

// userFields are the documented fields User keeps typed.
var userFields = []string{"uuid", "type", "username", "nickname", "activated", "created", "modified",
	"notification_display_style", "notification_no_disturbing", "notification_no_disturbing_start",
	"notification_no_disturbing_end", "notifier_name", "device_token"}

// UnmarshalJSON keeps the known fields typed and the rest in Extra.
func (u *User) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	activated, set := o.Bool("activated")
	*u = User{
		UUID: o.String("uuid"), Username: o.String("username"), Nickname: o.String("nickname"),
		Activated:    activated || !set, // absent means active
		Created:      o.Millis("created"),
		Modified:     o.Millis("modified"),
		NotifierName: o.String("notifier_name"),
		DeviceToken:  o.String("device_token"),
	}
	u.NotificationDisplayStyle = optInt(o, "notification_display_style")
	// The hours are strings in the docs' tables and numbers in their examples.
	u.NotificationNoDisturbingStart = optInt(o, "notification_no_disturbing_start")
	u.NotificationNoDisturbingEnd = optInt(o, "notification_no_disturbing_end")
	if v, ok := o.Bool("notification_no_disturbing"); ok {
		u.NotificationNoDisturbing = &v
	}
	u.Extra = o.Rest(userFields...)
	return nil
}

// optInt reads field k as an int, nil when absent.
func optInt(o core.Object, k string) *int {
	n, ok := o.Int64(k)
	if !ok {
		return nil
	}
	v := int(n)
	return &v
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
