package core

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Per-name answers come as a list or, for a one-name call, one object;
// results are booleans or "success"; every name of the chunk is reported.
func TestNameResults(t *testing.T) {
	list := `[{"result":false,"reason":"user: u1 doesn't exist in chatroom: 1","user":"u1"},
		{"result":"success","user":"U2","expire":5},{"result":false,"user":"u3"},{"user":"u4"},
		{"result":true,"user":"u2"}]`
	rs, err := DecodeNameResults(json.RawMessage(list), "user")
	require.NoError(t, err)
	require.Len(t, rs, 5)
	out := NameOutcomes([]string{"u1", "u2", "u3", "u4", "u5"}, rs, func(r NameResult) int64 {
		n, _ := r.Item.Int64("expire")
		return n
	})
	assert.Equal(t, []Outcome[int64]{
		Refused[int64]("user: u1 doesn't exist in chatroom: 1"),
		Accepted[int64](5), // matched case-insensitively; the first item of a name counts
		Refused[int64](NoReason),
		Refused[int64]("no result in the server's answer"),
		Refused[int64](Omitted),
	}, out)

	one, err := DecodeNameResults(json.RawMessage(`{"result":true,"user":"u1"}`), "user")
	require.NoError(t, err)
	assert.Equal(t, []Outcome[bool]{Accepted(true)}, NameOutcomes([]string{"u1"}, one, func(NameResult) bool { return true }))

	_, err = DecodeNameResults(json.RawMessage(`"no"`), "user")
	assert.Error(t, err)
}

func TestOneOrMany(t *testing.T) {
	for in, want := range map[string][]int{`[1,2]`: {1, 2}, `3`: {3}, `null`: nil, `[]`: {}} {
		var l OneOrMany[int]
		require.NoError(t, json.Unmarshal([]byte(in), &l), in)
		assert.Equal(t, want, []int(l), in)
	}
	var l OneOrMany[int]
	assert.Error(t, json.Unmarshal([]byte(`["x"]`), &l))
}
