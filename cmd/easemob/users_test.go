package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// Every users command, against the emulator: what it prints and what it
// changed on the server.
func TestUsersCommands(t *testing.T) {
	srv := easemobtest.NewServer(t)
	env := serverEnv(t, srv)
	run := func(stdin string, args ...string) result {
		t.Helper()
		r := cli(t, env, stdin, args...)
		require.Equal(t, exitOK, r.code, "%v: %s", args, r.stderr)
		return r
	}
	jsonOf := func(r result, into any) {
		t.Helper()
		require.NoError(t, json.Unmarshal([]byte(r.stdout), into), r.stdout)
	}

	r := run("", "users", "register", "alice", "--password", "pw1", "--nickname", "Al")
	assert.Regexp(t, `username\s+alice`, r.stdout)
	run("s3cret\n", "users", "register", "bob", "--password-stdin", "-o", "json")
	assert.Equal(t, []string{"alice", "bob"}, srv.Usernames())

	var u struct {
		Username  string
		Nickname  string
		Activated bool
	}
	jsonOf(run("", "users", "get", "alice", "-o", "json"), &u)
	assert.Equal(t, "Al", u.Nickname)

	r = run("", "users", "list", "--limit", "1")
	assert.Contains(t, r.stdout, "USERNAME")
	assert.Contains(t, r.stdout, "alice")
	assert.NotContains(t, r.stdout, "bob")
	assert.Contains(t, r.stderr, "more: --cursor ")
	var pg struct {
		Items  []struct{ Username string }
		Cursor string
	}
	jsonOf(run("", "users", "list", "--limit", "1", "-o", "json"), &pg)
	require.Len(t, pg.Items, 1)
	require.NotEmpty(t, pg.Cursor)
	jsonOf(run("", "users", "list", "--limit", "1", "--cursor", pg.Cursor, "-o", "json"), &pg)
	assert.Equal(t, "bob", pg.Items[0].Username)
	var all []struct{ Username string }
	jsonOf(run("", "users", "list", "--all", "--limit", "1", "-o", "json"), &all)
	assert.Len(t, all, 2)

	run("new-pw\n", "users", "password", "alice", "--password-stdin")
	run("", "users", "deactivate", "alice")
	jsonOf(run("", "users", "get", "alice", "-o", "json"), &u)
	assert.False(t, u.Activated)
	run("", "users", "activate", "alice")
	jsonOf(run("", "users", "get", "alice", "-o", "json"), &u)
	assert.True(t, u.Activated)

	require.NoError(t, srv.SetOnline("alice", "android_1", "ios_2"))
	var states []onlineState
	jsonOf(run("", "users", "online", "alice", "bob", "-o", "json"), &states)
	assert.Equal(t, []onlineState{{"alice", true, "done", ""}, {"bob", false, "done", ""}}, states)
	states = nil
	jsonOf(run("", "users", "online", "alice", "-o", "json"), &states)
	assert.Equal(t, []onlineState{{Username: "alice", Online: true}}, states)
	var devices []struct{ Resource string }
	jsonOf(run("", "users", "devices", "alice", "-o", "json"), &devices)
	assert.Len(t, devices, 2)
	var d disconnected
	jsonOf(run("", "users", "disconnect", "alice", "--device", "ios_2", "-o", "json"), &d)
	assert.True(t, d.Result)
	jsonOf(run("", "users", "devices", "alice", "-o", "json"), &devices)
	assert.Len(t, devices, 1)
	jsonOf(run("", "users", "disconnect", "alice", "-o", "json"), &d)
	assert.True(t, d.Result)
	jsonOf(run("", "users", "online", "alice", "-o", "json"), &states)
	assert.False(t, states[0].Online)

	var n offlineCount
	jsonOf(run("", "users", "offline-count", "alice", "-o", "json"), &n)
	assert.Equal(t, offlineCount{Username: "alice"}, n)
	var del delivery
	jsonOf(run("", "users", "offline-status", "alice", "m1", "-o", "json"), &del)
	assert.Equal(t, "m1", del.MessageID)
	assert.Contains(t, []string{"delivered", "undelivered"}, del.Status)

	run("", "users", "delete", "bob")
	assert.Equal(t, exitNotFound, cli(t, env, "", "users", "get", "bob").code)

	assert.Equal(t, exitUsage, cli(t, env, "", "users", "delete-oldest", "--limit", "5").code, "needs --yes")
	require.NoError(t, srv.AddUser("carol", "pw"))
	jsonOf(run("", "users", "delete-oldest", "--limit", "1", "--yes", "-o", "json"), &pg)
	assert.Equal(t, "alice", pg.Items[0].Username)
	assert.Equal(t, []string{"carol"}, srv.Usernames())
}

func TestExitCodes(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: 1, Window: time.Minute}}}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	env := serverEnv(t, srv)

	assert.Equal(t, exitOK, cli(t, env, "", "users", "get", "alice").code)
	r := cli(t, env, "", "users", "get", "alice", "--timeout", "300ms")
	assert.Equal(t, exitRateLimited, r.code, "the server's quota is used up: %s", r.stderr)
	assert.Contains(t, r.stderr, "429")

	assert.Equal(t, exitUsage, cli(t, env, "", "users", "register", "bad name", "--password", "x").code,
		"refused before sending")
	assert.Equal(t, exitUsage, cli(t, env, "", "users", "register", "dave").code, "no password")

	noSecret := map[string]string{"EASEMOB_BASE_URL": srv.URL, "EASEMOB_APP_KEY": srv.AppKey, "HOME": t.TempDir()}
	r = cli(t, noSecret, "", "users", "get", "alice")
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "missing --client-id and --client-secret")

	wrong := serverEnv(t, srv)
	wrong["EASEMOB_CLIENT_SECRET"] = "not-the-secret"
	r = cli(t, wrong, "", "users", "get", "alice")
	assert.Equal(t, exitConfig, r.code, "credentials refused: %s", r.stderr)
	assert.NotContains(t, r.stderr+r.stdout, "not-the-secret")

	down := serverEnv(t, srv)
	down["EASEMOB_BASE_URL"] = "http://127.0.0.1:1"
	assert.Equal(t, exitError, cli(t, down, "", "users", "get", "alice", "--timeout", "2s").code)

	assert.Equal(t, exitInterrupted, exitCode(errCanceled()))
	assert.Equal(t, exitItemsFailed, exitCode(&itemsFailed{failed: 1}))
}
