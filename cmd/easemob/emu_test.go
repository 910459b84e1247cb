package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

// emuCLI runs the tool against one emulator and decodes its JSON, for the
// module tests.
type emuCLI struct {
	t   *testing.T
	srv *easemobtest.Server // nil when made from an env alone
	env map[string]string
}

// newEmuCLI starts an emulator holding users (password "pw").
func newEmuCLI(t *testing.T, users ...string) *emuCLI {
	srv := easemobtest.NewServer(t)
	for _, u := range users {
		require.NoError(t, srv.AddUser(u, "pw"))
	}
	return emuCLIOn(t, srv)
}

// emuCLIOn runs against srv, for tests that set up the emulator themselves.
func emuCLIOn(t *testing.T, srv *easemobtest.Server) *emuCLI {
	return &emuCLI{t: t, srv: srv, env: serverEnv(t, srv)}
}

// ok runs a command that must succeed.
func (e *emuCLI) ok(args ...string) result {
	e.t.Helper()
	r := cli(e.t, e.env, "", args...)
	require.Equal(e.t, exitOK, r.code, "%v: %s", args, r.stderr)
	return r
}

// json runs a command that must succeed with -o json and decodes its output.
func (e *emuCLI) json(into any, args ...string) {
	e.t.Helper()
	r := e.ok(append(args, "-o", "json")...)
	require.NoError(e.t, json.Unmarshal([]byte(r.stdout), into), r.stdout)
}

// code runs a command and returns its exit code.
func (e *emuCLI) code(args ...string) int {
	e.t.Helper()
	return cli(e.t, e.env, "", args...).code
}
