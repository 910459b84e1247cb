package groups

import (
	"unicode/utf8"

	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
)

// Documented text limits, in characters (custom in bytes: the create page
// gives 8 KB, other pages 1 024 characters; the server takes 8 KB).
const (
	maxNameChars         = 128
	maxDescriptionChars  = 512
	maxAvatarChars       = 1024
	maxAnnouncementChars = 512
	maxCustomBytes       = 8 << 10
	maxCustomIDBytes     = 64
	maxFileBytes         = 10 << 20
	// Member attributes: key and value in bytes, all of one member's.
	maxAttrKeyBytes    = 16
	maxAttrValueBytes  = 512
	maxAttrMemberBytes = 4 << 10
)

func checkUser(op, field, name string) error {
	if err := rules.Username(name); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

func checkGroupID(op, id string) error {
	if err := rules.PathValue("group_id", id); err != nil {
		return &core.ValidationError{Op: op, Field: "groupID", Reason: err.Error()}
	}
	return nil
}

func checkChars(op, field, v string, limit int) error {
	if n := utf8.RuneCountInString(v); n > limit {
		return core.Invalid(op, field, "%d characters, at most %d allowed", n, limit)
	}
	return nil
}

// checkCustomID applies the rule of a custom group ID: at most 64 of a-z 0-9.
func checkCustomID(op, id string) error {
	if len(id) > maxCustomIDBytes {
		return core.Invalid(op, "ID", "%d bytes, at most %d allowed", len(id), maxCustomIDBytes)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return core.Invalid(op, "ID", "%q has %q; only a-z and 0-9 are allowed", id, rune(c))
		}
	}
	return nil
}

// checkAttributes applies the documented bounds of one member's
// attributes; an empty value deletes its key.
func checkAttributes(op string, attrs map[string]string) error {
	if len(attrs) == 0 {
		return core.Invalid(op, "attributes", "empty")
	}
	total := 0
	for k, v := range attrs {
		switch {
		case k == "":
			return core.Invalid(op, "attributes", "empty key")
		case len(k) > maxAttrKeyBytes:
			return core.Invalid(op, "attributes", "key %q is %d bytes, at most %d allowed", k, len(k), maxAttrKeyBytes)
		case len(v) > maxAttrValueBytes:
			return core.Invalid(op, "attributes", "value of %q is %d bytes, at most %d allowed", k, len(v), maxAttrValueBytes)
		}
		total += len(k) + len(v)
	}
	if total > maxAttrMemberBytes {
		return core.Invalid(op, "attributes", "%d bytes in all, at most %d allowed per member", total, maxAttrMemberBytes)
	}
	return nil
}
