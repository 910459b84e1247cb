package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThreadsCommands(t *testing.T) {
	e := newEmuCLI(t, "alice", "bob", "carol", "dave")
	g1, err := e.srv.AddGroup("alice", "bob", "carol")
	require.NoError(t, err)
	g2, err := e.srv.AddGroup("alice", "bob")
	require.NoError(t, err)

	var th threadName
	e.json(&th, "threads", "create", "launch plans", "--group", g1, "--message", "m1", "--owner", "alice")
	require.NotEmpty(t, th.ID)
	assert.Equal(t, "launch plans", th.Name)
	var th2 threadName
	e.json(&th2, "threads", "create", "lunch", "--group", g2, "--message", "m2", "--owner", "alice")
	assert.Equal(t, exitNotFound, e.code("threads", "create", "x", "--group", g1, "--message", "m3", "--owner", "dave"),
		"not in the group")
	assert.Equal(t, exitUsage, e.code("threads", "create", "x", "--message", "m3", "--owner", "alice"), "no group")

	var ids struct {
		Items  []struct{ ID string }
		Cursor string
	}
	e.json(&ids, "threads", "list", "--sort", "asc", "--limit", "1")
	require.Len(t, ids.Items, 1)
	assert.Equal(t, th.ID, ids.Items[0].ID)
	assert.NotEmpty(t, ids.Cursor)
	r := e.ok("threads", "list", "--sort", "asc")
	assert.Equal(t, "ID\n"+th.ID+"\n"+th2.ID+"\n", r.stdout, "the app's list: IDs only")
	var all []struct{ ID, Name, GroupID string }
	e.json(&all, "threads", "list", "--all", "--limit", "1")
	assert.Len(t, all, 2)
	all = nil
	e.json(&all, "threads", "list", "--user", "alice", "--group", g2, "--all")
	require.Len(t, all, 1)
	assert.Equal(t, "lunch", all[0].Name)
	assert.Equal(t, g2, all[0].GroupID)
	assert.Equal(t, exitUsage, e.code("threads", "list", "--group", g2), "--group alone")
	assert.Equal(t, exitUsage, e.code("threads", "list", "--sort", "up"))

	var rows []userOutcome
	e.json(&rows, "threads", "add-members", th.ID, "bob", "carol")
	assert.Equal(t, []userOutcome{{"bob", "done", ""}, {"carol", "done", ""}}, rows)
	var pg struct{ Items []struct{ ID string } }
	e.json(&pg, "threads", "list", "--user", "bob")
	require.Len(t, pg.Items, 1)
	assert.Equal(t, th.ID, pg.Items[0].ID)

	var members []string
	e.json(&members, "threads", "members", th.ID, "--all", "--limit", "1")
	assert.ElementsMatch(t, []string{"alice", "bob", "carol"}, members)
	var mp struct {
		Items  []string
		Cursor string
	}
	e.json(&mp, "threads", "members", th.ID, "--limit", "2")
	assert.Len(t, mp.Items, 2)
	assert.NotEmpty(t, mp.Cursor)

	rows = nil
	e.json(&rows, "threads", "remove-members", th.ID, "carol")
	assert.Equal(t, []userOutcome{{"carol", "done", ""}}, rows)
	members = nil
	e.json(&members, "threads", "members", th.ID, "--all")
	assert.ElementsMatch(t, []string{"alice", "bob"}, members)

	e.json(&th, "threads", "rename", th.ID, "launch, final")
	assert.Equal(t, "launch, final", th.Name)
	all = nil
	e.json(&all, "threads", "list", "--user", "bob", "--all")
	assert.Equal(t, "launch, final", all[0].Name)

	e.ok("threads", "delete", th.ID)
	assert.Equal(t, exitNotFound, e.code("threads", "members", th.ID))
	assert.Equal(t, exitNotFound, e.code("threads", "delete", th.ID))
	all = nil
	e.json(&all, "threads", "list", "--all")
	require.Len(t, all, 1)
	assert.Equal(t, th2.ID, all[0].ID)
}
