package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every groups command, against the emulator: what it prints and what it
// changed on the server.
func TestGroupsCommands(t *testing.T) {
	run := newEmuCLI(t, "alice", "bob", "carol", "dave")

	var made created
	run.json(&made, "groups", "create", "alice", "--name", "G1", "--members", "bob", "--public")
	require.NotEmpty(t, made.ID)
	id := made.ID
	var other created
	run.json(&other, "groups", "create", "bob", "--name", "G2")

	type details struct {
		ID, Owner, Name string
		Public          bool
		MaxUsers        int
		AllMuted        bool
		MemberCount     int
	}
	var d details
	run.json(&d, "groups", "get", id)
	assert.Equal(t, details{ID: id, Owner: "alice", Name: "G1", Public: true, MaxUsers: 200, MemberCount: 2}, d)
	assert.Equal(t, exitNotFound, run.code("groups", "get", "nosuchgroup"))

	r := run.ok("groups", "list", "--limit", "1")
	assert.Contains(t, r.stdout, "OWNER")
	assert.Contains(t, r.stderr, "more: --cursor ")
	var all []struct{ ID string }
	run.json(&all, "groups", "list", "--all", "--limit", "1")
	assert.ElementsMatch(t, []string{id, other.ID}, []string{all[0].ID, all[1].ID})
	var joined []struct{ ID string }
	run.json(&joined, "groups", "joined", "bob", "--all")
	assert.Len(t, joined, 2)
	run.json(&joined, "groups", "joined", "alice")
	assert.Equal(t, id, joined[0].ID)

	var changed map[string]bool
	run.json(&changed, "groups", "update", id, "--name", "Renamed", "--max-users", "50", "--public=false")
	assert.Equal(t, map[string]bool{"groupname": true, "maxusers": true, "public": true}, changed)
	run.json(&d, "groups", "get", id)
	assert.Equal(t, "Renamed", d.Name)
	assert.Equal(t, 50, d.MaxUsers)
	assert.False(t, d.Public)
	assert.Equal(t, exitUsage, run.code("groups", "update", id), "nothing to change")

	var outs []nameOutcome
	run.json(&outs, "groups", "add-members", id, "carol", "dave")
	assert.Equal(t, []nameOutcome{{Name: "carol", Status: "done"}, {Name: "dave", Status: "done"}}, outs)
	var m membership
	run.json(&m, "groups", "is-member", id, "carol")
	assert.True(t, m.Member)
	assert.NotEqual(t, exitOK, run.code("groups", "add-members", id, "carol"), "already in: nothing added")

	var members []struct{ Username, Role string }
	run.json(&members, "groups", "members", id, "--limit", "2")
	assert.Equal(t, "alice", members[0].Username)
	assert.Equal(t, "owner", members[0].Role)
	r = run.ok("groups", "members", id, "--limit", "2")
	assert.Contains(t, r.stderr, "more: --page 2")
	run.json(&members, "groups", "members", id, "--all", "--limit", "2")
	assert.Len(t, members, 4)

	run.json(&outs, "groups", "remove-members", id, "dave")
	assert.Equal(t, "done", outs[0].Status)
	run.json(&m, "groups", "is-member", id, "dave")
	assert.False(t, m.Member)

	var ur userResult
	run.json(&ur, "groups", "add-admin", id, "bob")
	assert.True(t, ur.Result)
	var names []string
	run.json(&names, "groups", "admins", id)
	assert.Equal(t, []string{"bob"}, names)
	run.ok("groups", "remove-admin", id, "bob")
	run.json(&names, "groups", "admins", id)
	assert.Empty(t, names)

	run.json(&outs, "groups", "mute", id, "carol", "--duration", "1h")
	assert.Equal(t, "done", outs[0].Status)
	var muted []struct {
		Username string
		Forever  bool
	}
	run.json(&muted, "groups", "muted", id)
	require.Len(t, muted, 1)
	assert.Equal(t, "carol", muted[0].Username)
	assert.False(t, muted[0].Forever)
	run.ok("groups", "unmute", id, "carol")
	run.json(&muted, "groups", "muted", id)
	assert.Empty(t, muted)
	run.ok("groups", "mute", id, "bob")
	run.json(&muted, "groups", "muted", id)
	assert.True(t, muted[0].Forever, "no --duration: for good")

	run.ok("groups", "mute-all", id)
	run.json(&d, "groups", "get", id)
	assert.True(t, d.AllMuted)
	run.ok("groups", "unmute-all", id)
	run.json(&d, "groups", "get", id)
	assert.False(t, d.AllMuted)

	run.json(&outs, "groups", "block", id, "carol")
	assert.Equal(t, "done", outs[0].Status)
	run.json(&names, "groups", "blocked", id)
	assert.Equal(t, []string{"carol"}, names)
	run.json(&m, "groups", "is-member", id, "carol")
	assert.False(t, m.Member, "a blocked member leaves")
	run.ok("groups", "unblock", id, "carol")
	run.json(&names, "groups", "blocked", id)
	assert.Empty(t, names)

	var ok okResult
	run.json(&ok, "groups", "transfer", id, "bob")
	assert.True(t, ok.Result)
	run.json(&d, "groups", "get", id)
	assert.Equal(t, "bob", d.Owner)

	run.json(&ok, "groups", "delete", id)
	assert.True(t, ok.Result)
	assert.Equal(t, exitNotFound, run.code("groups", "get", id))
	assert.Equal(t, exitNotFound, run.code("groups", "members", id))
}

// --help of every command this module set adds prints its usage and flags.
func TestModuleCommandsHelp(t *testing.T) {
	n := 0
	for _, c := range commands {
		if !strings.HasPrefix(c.path, "groups ") && !strings.HasPrefix(c.path, "chatrooms ") &&
			!strings.HasPrefix(c.path, "messages ") && c.path != "job send-messages" && c.path != "job add-group-members" {
			continue
		}
		n++
		r := cli(t, nil, "", append(strings.Fields(c.path), "--help")...)
		assert.Equal(t, exitOK, r.code, c.path)
		assert.Contains(t, r.stdout, "Usage: easemob "+c.path, c.path)
		assert.Contains(t, r.stdout, c.summary, c.path)
		assert.Contains(t, r.stdout, "Flags:", c.path)
		assert.Regexp(t, `\(.*\p{Han}.*\)`, c.summary, "%s: the operation's title", c.path)
	}
	assert.Positive(t, n)
}
