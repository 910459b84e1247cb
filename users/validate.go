package users

import (
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
)

func checkUsername(op, field, name string) error {
	if err := rules.Username(name); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

func checkNewUser(op string, u NewUser) error {
	if err := checkUsername(op, "Username", u.Username); err != nil {
		return err
	}
	if err := rules.Password(u.Password); err != nil {
		return core.Invalid(op, "Password", "%s (user %q)", err, u.Username)
	}
	if err := rules.Nickname(u.Nickname); err != nil {
		return core.Invalid(op, "Nickname", "%s (user %q)", err, u.Username)
	}
	return nil
}
