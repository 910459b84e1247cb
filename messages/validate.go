package messages

import (
	"encoding/json"
	"regexp"

	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
)

// MaxMessageBytes bounds a message's body and ext together, as encoded
// JSON: the server refuses more with 400 "message is too large".
const MaxMessageBytes = 5 << 10

// checkMessage applies the body's documented rules and the size limit.
func checkMessage(op string, m Message) error {
	if m == nil {
		return core.Invalid(op, "message", "nil")
	}
	if p := m.check(); p != "" {
		return core.Invalid(op, "body", "%s (%s message)", p, m.Type())
	}
	body, err := json.Marshal(m)
	if err != nil {
		return core.Invalid(op, "body", "cannot encode: %v", err)
	}
	size := len(body)
	if ext := m.extension(); ext != nil {
		b, err := json.Marshal(ext)
		if err != nil {
			return core.Invalid(op, "ext", "cannot encode: %v", err)
		}
		size += len(b)
	}
	if size > MaxMessageBytes {
		return core.Invalid(op, "body", "body and ext are %d bytes, at most %d allowed", size, MaxMessageBytes)
	}
	return nil
}

// checkUser applies the user ID rule.
func checkUser(op, field, name string) error {
	if err := rules.Username(name); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

// checkFrom allows "" (the server sends as admin) or a user ID.
func checkFrom(op, from string) error {
	if from == "" {
		return nil
	}
	return checkUser(op, "from", from)
}

// checkUsers applies the user ID rule to each name.
func checkUsers(op, field string, names []string) error {
	for _, n := range names {
		if err := checkUser(op, field, n); err != nil {
			return err
		}
	}
	return nil
}

// checkID bounds a server-made ID (message, group, chatroom, file).
func checkID(op, field, id string) error {
	if err := rules.PathValue("msg_id", id); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

// envName is the documented callback environment: letters and digits, at
// most 8.
var envName = regexp.MustCompile(`^[a-zA-Z0-9]{1,8}$`)

func checkEnv(op, env string) error {
	if env != "" && !envName.MatchString(env) {
		return core.Invalid(op, "env", "%q is not 1 to 8 letters and digits", env)
	}
	return nil
}
