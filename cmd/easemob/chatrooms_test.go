package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every chatrooms command, against the emulator: what it prints and what
// it changed on the server.
func TestChatroomsCommands(t *testing.T) {
	run := newEmuCLI(t, "alice", "bob", "carol", "dave")

	var made created
	run.json(&made, "chatrooms", "create", "alice", "--name", "R1", "--description", "first", "--members", "bob")
	require.NotEmpty(t, made.ID)
	id := made.ID
	run.ok("chatrooms", "create", "bob", "--name", "R2", "--description", "second")
	assert.Equal(t, exitUsage, run.code("chatrooms", "create", "bob", "--description", "no name"), "refused before sending")

	type room struct {
		ID, Name, Description, Owner string
		MaxUsers, MemberCount        int
		AllMuted                     bool
	}
	var got room
	run.json(&got, "chatrooms", "get", id)
	assert.Equal(t, room{ID: id, Name: "R1", Description: "first", Owner: "alice", MaxUsers: got.MaxUsers, MemberCount: 2}, got)
	assert.Equal(t, exitNotFound, run.code("chatrooms", "get", "404404"))

	r := run.ok("chatrooms", "list", "--limit", "1")
	assert.Contains(t, r.stdout, "MEMBER_COUNT")
	assert.Contains(t, r.stderr, "more: --cursor ")
	var rooms []struct{ ID, Name string }
	run.json(&rooms, "chatrooms", "list", "--all", "--limit", "1")
	assert.Len(t, rooms, 2)
	run.json(&rooms, "chatrooms", "joined", "bob", "--all")
	assert.Len(t, rooms, 2)
	run.json(&rooms, "chatrooms", "joined", "alice")
	assert.Equal(t, "R1", rooms[0].Name)

	var upd struct{ Name, Description, MaxUsers bool }
	run.json(&upd, "chatrooms", "update", id, "--name", "Renamed", "--max-users", "300")
	assert.True(t, upd.Name)
	assert.True(t, upd.MaxUsers)
	run.json(&got, "chatrooms", "get", id)
	assert.Equal(t, "Renamed", got.Name)
	assert.Equal(t, 300, got.MaxUsers)
	assert.Equal(t, exitUsage, run.code("chatrooms", "update", id), "nothing to change")

	var outs []nameOutcome
	run.json(&outs, "chatrooms", "add-members", id, "carol", "dave")
	assert.Equal(t, []nameOutcome{{Name: "carol", Status: "done"}, {Name: "dave", Status: "done"}}, outs)
	var members []struct {
		Username string
		Owner    bool
	}
	run.json(&members, "chatrooms", "members", id, "--all", "--limit", "2")
	assert.Len(t, members, 4)
	r = run.ok("chatrooms", "members", id, "--limit", "2")
	assert.Contains(t, r.stderr, "more: --page 2")
	run.json(&outs, "chatrooms", "remove-members", id, "dave", "nobody")
	assert.Equal(t, "done", outs[0].Status)
	assert.Equal(t, "failed", outs[1].Status, "not a member")
	assert.NotEmpty(t, outs[1].Reason)
	run.json(&got, "chatrooms", "get", id)
	assert.Equal(t, 3, got.MemberCount)

	var ur userResult
	run.json(&ur, "chatrooms", "add-admin", id, "bob")
	assert.True(t, ur.Result)
	var names []string
	run.json(&names, "chatrooms", "admins", id)
	assert.Equal(t, []string{"bob"}, names)
	run.ok("chatrooms", "remove-admin", id, "bob")
	run.json(&names, "chatrooms", "admins", id)
	assert.Empty(t, names)

	run.json(&outs, "chatrooms", "mute", id, "carol", "--duration", "10m")
	assert.Equal(t, "done", outs[0].Status)
	var muted []struct {
		User   string
		Expire struct{ Forever bool }
	}
	run.json(&muted, "chatrooms", "muted", id)
	require.Len(t, muted, 1)
	assert.Equal(t, "carol", muted[0].User)
	assert.False(t, muted[0].Expire.Forever)
	run.ok("chatrooms", "unmute", id, "carol")
	run.json(&muted, "chatrooms", "muted", id)
	assert.Empty(t, muted)

	var rm roomMute
	run.json(&rm, "chatrooms", "mute-all", id)
	assert.True(t, rm.AllMuted)
	run.json(&got, "chatrooms", "get", id)
	assert.True(t, got.AllMuted)
	run.json(&rm, "chatrooms", "unmute-all", id)
	assert.False(t, rm.AllMuted)

	run.ok("chatrooms", "block", id, "carol")
	run.json(&names, "chatrooms", "blocked", id)
	assert.Equal(t, []string{"carol"}, names)
	run.ok("chatrooms", "unblock", id, "carol")
	run.json(&names, "chatrooms", "blocked", id)
	assert.Empty(t, names)

	var ok okResult
	run.json(&ok, "chatrooms", "transfer", id, "bob")
	assert.True(t, ok.Result)
	run.json(&got, "chatrooms", "get", id)
	assert.Equal(t, "bob", got.Owner)

	run.json(&ok, "chatrooms", "delete", id)
	assert.True(t, ok.Result)
	assert.Equal(t, exitNotFound, run.code("chatrooms", "get", id))
}
