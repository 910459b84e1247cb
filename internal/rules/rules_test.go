package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPathValue(t *testing.T) {
	for _, ok := range [][2]string{{"username", "a.b-c_D9"}, {"msg_id", "1234567890123456789"}, {"resourceId", "android_1"}, {"time", "2025010112"}} {
		assert.NoError(t, PathValue(ok[0], ok[1]), "%v", ok)
	}
	for _, bad := range [][2]string{
		{"username", ""}, {"username", ".."}, {"username", "a b"}, {"username", strings.Repeat("a", 65)},
		{"msg_id", "."}, {"msg_id", "a/b"}, {"msg_id", "a%2Fb"}, {"msg_id", "a?b"}, {"msg_id", "a#b"},
		{"msg_id", "a\x00"}, {"msg_id", strings.Repeat("1", MaxIDBytes+1)}, {"key", strings.Repeat("k", MaxValueBytes+1)},
		{"key", "a,b"},
	} {
		assert.Error(t, PathValue(bad[0], bad[1]), "%v", bad)
	}
}

func TestAccountRules(t *testing.T) {
	assert.NoError(t, Password(strings.Repeat("密", MaxPasswordChars)))
	assert.Error(t, Password(strings.Repeat("密", MaxPasswordChars+1)))
	assert.Error(t, Password(""))
	assert.NoError(t, Nickname(""))
	assert.Error(t, Nickname(strings.Repeat("n", MaxNicknameChars+1)))
	assert.Error(t, QueryValue("a\nb"))
}
