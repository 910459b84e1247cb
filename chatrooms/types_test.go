package chatrooms_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/chatrooms"
)

// The server's loose types decode: numbers and booleans as strings, the
// newer mute flag, unknown fields kept.
func TestLooseChatroomFields(t *testing.T) {
	var r chatrooms.Chatroom
	require.NoError(t, json.Unmarshal([]byte(`{"id":"1","name":"n","membersonly":"true","allowinvites":false,
		"maxusers":"200","created":"1542542951527","affiliations_count":"2","mute":"true","public":true,
		"affiliations":[{"member":"u2"},{"owner":"u1"}],"level":3}`), &r))
	assert.True(t, r.MembersOnly)
	assert.Equal(t, 200, r.MaxUsers)
	assert.Equal(t, 2, r.MemberCount)
	assert.True(t, r.AllMuted)
	assert.Equal(t, time.UnixMilli(1542542951527), r.Created)
	assert.Equal(t, []chatrooms.Member{{Username: "u2"}, {Username: "u1", Owner: true}}, r.Members)
	assert.JSONEq(t, `3`, string(r.Extra["level"]))

	var s []chatrooms.Summary
	require.NoError(t, json.Unmarshal([]byte(`[{"id":"1","name":"a","disabled":"true"},{"id":"2","owner":"o","affiliations_count":"5"}]`), &s))
	assert.Equal(t, []chatrooms.Summary{{ID: "1", Name: "a", Disabled: true}, {ID: "2", Owner: "o", MemberCount: 5}}, s)

	var u chatrooms.Updated
	require.NoError(t, json.Unmarshal([]byte(`{"name":"true","maxusers":false}`), &u))
	assert.Equal(t, chatrooms.Updated{Name: true}, u, "the room name under either key")

	var tags map[string]chatrooms.Expiry
	require.NoError(t, json.Unmarshal([]byte(`{"a":"-1","b":"0","c":1730790248255,"d":"1730790248255"}`), &tags))
	assert.True(t, tags["a"].Forever)
	assert.Equal(t, chatrooms.Expiry{}, tags["b"], "0 is no mute")
	assert.Equal(t, tags["c"], tags["d"], "a number or a string")
	assert.True(t, tags["c"].Active(time.UnixMilli(1730790248254)))
	assert.False(t, tags["c"].Active(time.UnixMilli(1730790248255)))
}
