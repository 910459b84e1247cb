package rules

import (
	"fmt"
	"unicode/utf8"
)

// Documented chatroom limits (groups-chatrooms.md §3, chatroom_attribute
// and user tag pages).
const (
	MaxChatroomNameChars         = 128
	MaxChatroomDescriptionChars  = 512
	MaxChatroomAnnouncementChars = 512
	// MaxChatroomCustomBytes is the newer page's 8 KB; doc-v2 says 1,024
	// characters. The larger is kept, so no accepted value is refused.
	MaxChatroomCustomBytes = 8 << 10
	// MaxChatroomIDChars bounds a custom room ID (roomid), of a-z and 0-9.
	MaxChatroomIDChars = 64
	// DefaultChatroomMaxUsers is maxusers when create leaves it out (owner included).
	DefaultChatroomMaxUsers = 1000
	// MaxChatroomAdmins is the admin count beside the owner.
	MaxChatroomAdmins = 99
	// Custom attributes: per room, key and value lengths.
	MaxChatroomAttributes     = 100
	MaxChatroomAttrKeyChars   = 128
	MaxChatroomAttrValueChars = 4096
	// MaxChatroomTagChars bounds one user tag.
	MaxChatroomTagChars = 32
)

// Text bounds a free text field by characters.
func Text(field, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%s has %d characters, at most %d allowed", field, n, max)
	}
	return nil
}

// ChatroomAttrKey applies the documented key rule: 1 to 128 characters of
// [A-Za-z0-9_.-].
func ChatroomAttrKey(k string) error {
	if k == "" {
		return fmt.Errorf("empty attribute key")
	}
	if err := Text("attribute key", k, MaxChatroomAttrKeyChars); err != nil {
		return err
	}
	for i := 0; i < len(k); i++ {
		if !usernameByte(k[i]) {
			return fmt.Errorf("attribute key %q has %q; only a-z A-Z 0-9 _ . - are allowed", k, rune(k[i]))
		}
	}
	return nil
}

// ChatroomID applies the rule of a custom room ID: 1 to 64 of a-z and 0-9.
func ChatroomID(id string) error {
	if id == "" || len(id) > MaxChatroomIDChars {
		return fmt.Errorf("room ID %.80q is not 1 to %d characters", id, MaxChatroomIDChars)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return fmt.Errorf("room ID %q has %q; only a-z and 0-9 are allowed", id, rune(c))
		}
	}
	return nil
}
