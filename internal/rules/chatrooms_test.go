package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChatroomRules(t *testing.T) {
	assert.NoError(t, ChatroomAttrKey("seat_1.a-b"))
	assert.NoError(t, ChatroomAttrKey(strings.Repeat("k", MaxChatroomAttrKeyChars)))
	for _, bad := range []string{"", "a b", "键", strings.Repeat("k", MaxChatroomAttrKeyChars+1)} {
		assert.Error(t, ChatroomAttrKey(bad), bad)
	}
	assert.NoError(t, ChatroomID("room42"))
	for _, bad := range []string{"", "Room", "a_b", strings.Repeat("r", MaxChatroomIDChars+1)} {
		assert.Error(t, ChatroomID(bad), bad)
	}
	assert.NoError(t, Text("name", strings.Repeat("名", 128), MaxChatroomNameChars), "characters, not bytes")
	assert.Error(t, Text("name", strings.Repeat("名", 129), MaxChatroomNameChars))
}
