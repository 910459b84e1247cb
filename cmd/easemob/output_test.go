package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTableOutput(t *testing.T) {
	type row struct {
		UUID      string
		UserName  string `json:"username"`
		Created   time.Time
		Nick      *string
		Extra     map[string]int
		Activated bool
	}
	nick := "Al"
	var b bytes.Buffer
	p, err := newPrinter("table", &b)
	require.NoError(t, err)
	require.NoError(t, p.print([]row{
		{UUID: "u1", UserName: "alice", Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Nick: &nick, Extra: map[string]int{"a": 1}, Activated: true},
		{UUID: "u2", UserName: "bob"},
	}))
	assert.Equal(t, "UUID  USERNAME  CREATED               NICK  EXTRA    ACTIVATED\n"+
		"u1    alice     2024-01-02T03:04:05Z  Al    {\"a\":1}  true\n"+
		"u2    bob                                            false\n", b.String())

	b.Reset()
	require.NoError(t, p.print(&row{UUID: "u3"}))
	assert.Contains(t, b.String(), "uuid       u3\n")
	b.Reset()
	require.NoError(t, p.print(map[string]int{"b": 2, "a": 1}))
	assert.Equal(t, "a  1\nb  2\n", b.String())
	b.Reset()
	require.NoError(t, p.print([]string{"x", "y"}))
	assert.Equal(t, "x\ny\n", b.String())
	b.Reset()
	require.NoError(t, p.print(nil))
	assert.Empty(t, b.String())

	assert.Equal(t, "offline_count", snake("OfflineCount"))
	assert.Equal(t, "uuid", snake("UUID"))
	assert.Equal(t, "msg_id", snake("MsgID"))
}

func TestJSONOutput(t *testing.T) {
	var b bytes.Buffer
	p, err := newPrinter("json", &b)
	require.NoError(t, err)
	require.NoError(t, p.print(map[string]string{"k": "<v>"}))
	assert.Equal(t, "{\n  \"k\": \"<v>\"\n}\n", b.String())
}
