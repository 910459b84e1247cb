package users

import "github.com/emquota/easemob/internal/core"

// Documented account rules.
const (
	maxUsernameBytes = 64
	maxPasswordChars = 64
	maxNicknameChars = 100
)

// checkUsername applies the documented rule: 1 to 64 bytes of
// [a-zA-Z0-9_.-].
func checkUsername(op, field, name string) error {
	if name == "" {
		return core.Invalid(op, field, "empty username")
	}
	if len(name) > maxUsernameBytes {
		return core.Invalid(op, field, "username %q is longer than %d bytes", name, maxUsernameBytes)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return core.Invalid(op, field, "username %q has %q; only a-z A-Z 0-9 _ . - are allowed", name, rune(c))
		}
	}
	return nil
}

func checkNewUser(op string, u NewUser) error {
	if err := checkUsername(op, "Username", u.Username); err != nil {
		return err
	}
	if u.Password == "" {
		return core.Invalid(op, "Password", "empty password for %q", u.Username)
	}
	if n := len([]rune(u.Password)); n > maxPasswordChars {
		return core.Invalid(op, "Password", "password of %q has %d characters, at most %d allowed", u.Username, n, maxPasswordChars)
	}
	if n := len([]rune(u.Nickname)); n > maxNicknameChars {
		return core.Invalid(op, "Nickname", "nickname of %q has %d characters, at most %d allowed", u.Username, n, maxNicknameChars)
	}
	return nil
}

func checkNonEmpty(op, field, v string) error {
	if v == "" {
		return core.Invalid(op, field, "empty")
	}
	return nil
}
