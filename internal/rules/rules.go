// Package rules holds the documented input rules in one place: what a
// username may be, and how long and of what characters any value placed in
// a path or query may be. The SDK checks them before spending quota; the
// emulator answers them as the server does.
package rules

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Documented account rules.
const (
	MaxUsernameBytes = 64
	MaxPasswordChars = 64
	MaxNicknameChars = 100
)

// Bounds of values the docs do not bound: ids (message, group, device
// resource), cursors and other path or query values.
const (
	MaxIDBytes    = 128
	MaxValueBytes = 1024
)

// usernameParams are the path parameters that carry a user ID; a name
// ending in "s" of a list parameter carries many, comma-separated.
var usernameParams = map[string]bool{
	"username": true, "owner_username": true, "friend_username": true, "blocked_username": true,
	"userId": true, "oldadmin": true, "superAdmin": true, "usernames": true,
}

// idParams carry server-made ids.
var idParams = map[string]bool{
	"group_id": true, "chatroom_id": true, "group_ids": true, "chatroom_ids": true, "msg_id": true,
	"thread_id": true, "file_uuid": true, "file_id": true, "list_id": true, "collectionId": true,
	"resourceId": true, "resource": true,
}

// Username applies the documented rule: 1 to 64 bytes of [a-zA-Z0-9_.-].
func Username(name string) error {
	if name == "" {
		return fmt.Errorf("empty username")
	}
	if len(name) > MaxUsernameBytes {
		return fmt.Errorf("username %.80q is longer than %d bytes", name, MaxUsernameBytes)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !usernameByte(c) {
			return fmt.Errorf("username %q has %q; only a-z A-Z 0-9 _ . - are allowed", name, rune(c))
		}
	}
	return nil
}

func usernameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}

// Password and Nickname apply the documented lengths.
func Password(p string) error {
	if p == "" {
		return fmt.Errorf("empty password")
	}
	if n := utf8.RuneCountInString(p); n > MaxPasswordChars {
		return fmt.Errorf("password has %d characters, at most %d allowed", n, MaxPasswordChars)
	}
	return nil
}

// Nickname allows the empty nickname (none).
func Nickname(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxNicknameChars {
		return fmt.Errorf("nickname has %d characters, at most %d allowed", n, MaxNicknameChars)
	}
	return nil
}

// PathValue checks one value of the named path parameter (one element, for
// a list parameter): non-empty, not a dot segment, bounded, and free of
// anything that would change the URL once sent.
func PathValue(param, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("empty")
	case v == "." || v == "..":
		return fmt.Errorf("%q is a dot segment", v)
	case usernameParams[param]:
		return Username(v)
	}
	limit := MaxValueBytes
	if idParams[param] {
		limit = MaxIDBytes
	}
	if len(v) > limit {
		return fmt.Errorf("%d bytes, at most %d allowed", len(v), limit)
	}
	if i := strings.IndexFunc(v, unsafeInPath); i >= 0 {
		return fmt.Errorf("%.80q has %q, which would change the path", v, v[i])
	}
	return nil
}

// unsafeInPath reports characters a server may read as structure even when
// escaped (a decoded %2F is a slash to some proxies), and control characters.
func unsafeInPath(r rune) bool {
	return r < 0x20 || r == 0x7f || strings.ContainsRune(`/\?#%,`, r)
}

// QueryValue bounds a query value: escaping keeps it in place, so only size
// and control characters matter.
func QueryValue(v string) error {
	if len(v) > MaxValueBytes {
		return fmt.Errorf("%d bytes, at most %d allowed", len(v), MaxValueBytes)
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
		return fmt.Errorf("control character %q", v[i])
	}
	return nil
}

// IsUsernameParam reports whether the path parameter carries user IDs.
func IsUsernameParam(param string) bool { return usernameParams[param] }
