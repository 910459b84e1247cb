package chatrooms

import (
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
)

// checkUser applies the user ID rule to a name sent in a body.
func checkUser(op, field, name string) error {
	if err := rules.Username(name); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

// checkText bounds a free text field by characters.
func checkText(op, field, s string, max int) error {
	if err := rules.Text(field, s, max); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

// checkUsers applies the user ID rule to each name of a list sent in a
// body and refuses a name given twice.
func checkUsers(op, field string, names []string) error {
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if err := rules.Username(n); err != nil {
			return core.Invalid(op, field, "item %d: %v", i, err)
		}
		if j, dup := seen[core.FoldKey(n)]; dup {
			return core.Invalid(op, field, "items %d and %d are both %q", j, i, n)
		}
		seen[core.FoldKey(n)] = i
	}
	return nil
}

func checkNewChatroom(op string, r NewChatroom) error {
	if r.Name == "" {
		return core.Invalid(op, "Name", "required")
	}
	for _, f := range []struct {
		field, s string
		max      int
	}{
		{"Name", r.Name, rules.MaxChatroomNameChars},
		{"Description", r.Description, rules.MaxChatroomDescriptionChars},
	} {
		if err := checkText(op, f.field, f.s, f.max); err != nil {
			return err
		}
	}
	if len(r.Custom) > rules.MaxChatroomCustomBytes {
		return core.Invalid(op, "Custom", "%d bytes, at most %d allowed", len(r.Custom), rules.MaxChatroomCustomBytes)
	}
	if r.RoomID != "" {
		if err := rules.ChatroomID(r.RoomID); err != nil {
			return core.Invalid(op, "RoomID", "%v", err)
		}
	}
	if err := checkUser(op, "Owner", r.Owner); err != nil {
		return err
	}
	if err := checkUsers(op, "Members", r.Members); err != nil {
		return err
	}
	max := r.MaxUsers
	if max == 0 {
		max = rules.DefaultChatroomMaxUsers
	}
	if len(r.Members) > max {
		return core.Invalid(op, "Members", "%d members, at most MaxUsers (%d)", len(r.Members), max)
	}
	return nil
}

func checkChanges(op string, ch Changes) error {
	if ch == (Changes{}) {
		return core.Invalid(op, "Changes", "nothing to change")
	}
	if err := checkText(op, "Name", ch.Name, rules.MaxChatroomNameChars); err != nil {
		return err
	}
	return checkText(op, "Description", ch.Description, rules.MaxChatroomDescriptionChars)
}

// checkRoom checks a room ID bound for the path before a batch starts, so
// a bad one fails the whole call at once rather than each chunk.
func checkRoom(op, roomID string) error {
	if err := rules.PathValue("chatroom_id", roomID); err != nil {
		return core.Invalid(op, "chatroom_id", "%v", err)
	}
	return nil
}

// checkMemberPath checks the room and member of a per-member path.
func checkMemberPath(op, roomID, username string) error {
	if err := checkRoom(op, roomID); err != nil {
		return err
	}
	return checkUser(op, "username", username)
}
