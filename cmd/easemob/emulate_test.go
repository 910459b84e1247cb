package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/users"
)

// startEmulate runs `easemob emulate` in process until the test ends and
// returns the environment it printed.
func startEmulate(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	cmd, rest := find(append([]string{"emulate", "--listen", "127.0.0.1:0"}, args...))
	go func() {
		done <- cmd.run(ctx, rest, streams{stdout: out, stderr: out, env: func(string) string { return "" }})
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "an interrupted emulator exits cleanly")
	})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "EASEMOB_CLIENT_SECRET=") {
		select {
		case err := <-done:
			t.Fatalf("emulate ended: %v: %s", err, out.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), "emulate printed nothing: %s", out.String())
		time.Sleep(5 * time.Millisecond)
	}
	env := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.HasPrefix(k, "EASEMOB_") {
			env[k] = v
		}
	}
	return env
}

func getJSON(t *testing.T, url string, into any) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(into))
}

func TestEmulateServesTheAPIAndItsStats(t *testing.T) {
	env := startEmulate(t, "--app-key", "acme#chat", "--client-id", "id1", "--client-secret", "sec1",
		"--quota", "users.get=2/min", "--latency", "20ms", "--algorithm", "fixed-window")
	assert.Equal(t, "acme#chat", env["EASEMOB_APP_KEY"])
	assert.Equal(t, "id1", env["EASEMOB_CLIENT_ID"])
	assert.Equal(t, "sec1", env["EASEMOB_CLIENT_SECRET"])
	base := env["EASEMOB_BASE_URL"]

	c, err := easemob.New(easemob.Config{BaseURL: base, AppKey: env["EASEMOB_APP_KEY"], ClientID: "id1", ClientSecret: "sec1",
		Registry: easemob.NewRegistry()})
	require.NoError(t, err)
	defer c.Close()
	ctx := context.Background()
	_, err = c.Users.Register(ctx, users.NewUser{Username: "alice", Password: "pw"})
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Users.Get(ctx, "alice")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "both legs delayed")

	var st emulatorStats
	getJSON(t, base+"/_emulator/stats", &st)
	assert.Equal(t, "acme#chat", st.AppKey)
	assert.Equal(t, "fixed-window", st.Algorithm)
	assert.Equal(t, 1, st.Users)
	assert.Equal(t, 1, st.TokenRequests)
	get := st.Groups[easemob.GroupUsersGet]
	assert.Equal(t, []string{"2 calls/min per App Key"}, get.Limits)
	assert.Equal(t, 1, get.Accepted)
	assert.Equal(t, []int{1}, get.MaxInWindow)
	assert.Equal(t, 1, st.Ops["users.Register"].Accepted)
	assert.Equal(t, map[string]int{"200": 1}, st.Ops["users.Get"].Statuses)
	assert.Equal(t, easemob.GroupUsersGet, st.Ops["users.Get"].Group)

	var names struct{ Usernames []string }
	getJSON(t, base+"/_emulator/users", &names)
	assert.Equal(t, []string{"alice"}, names.Usernames)

	resp, err := http.Post(base+"/_emulator/reset", "", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	st = emulatorStats{}
	getJSON(t, base+"/_emulator/stats", &st)
	assert.Empty(t, st.Groups)
	assert.Equal(t, 1, st.Users, "state is kept")
}

func TestEmulateRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--algorithm", "leaky"},
		{"--quota", "users.nope=1/s"},
		{"--app-key", "no-hash"},
		{"--latency", "-1s"},
		{"--listen", "127.0.0.1:0", "extra"},
	} {
		r := cli(t, nil, "", append([]string{"emulate"}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.stderr)
	}
}
