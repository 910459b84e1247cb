package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

func writeConfig(t *testing.T, s settings, mode os.FileMode) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, os.WriteFile(path, b, mode))
	return path
}

// Flags beat the environment, which beats the file; `config` says where
// each setting came from and never prints a secret.
func TestConfigSourcesAndRedaction(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	path := writeConfig(t, settings{AppKey: "file#app", BaseURL: "http://file.invalid", ClientID: srv.ClientID,
		ClientSecret: srv.ClientSecret, RedisURL: "redis://:hunter2@127.0.0.1:1/0",
		Quotas: map[string]string{"users.get": "50/s"}}, 0o600)
	env := map[string]string{"EASEMOB_CONFIG": path, "EASEMOB_APP_KEY": srv.AppKey, "HOME": t.TempDir()}

	r := cli(t, env, "", "config", "--base-url", srv.URL, "--quota", "users.list=10/s", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rows []shownSetting
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	got := map[string]shownSetting{}
	for _, s := range rows {
		got[s.Setting] = s
	}
	assert.Equal(t, shownSetting{"app-key", srv.AppKey, "environment EASEMOB_APP_KEY"}, got["app-key"])
	assert.Equal(t, shownSetting{"base-url", srv.URL, "flag --base-url"}, got["base-url"])
	assert.Equal(t, shownSetting{"client-secret", "[redacted]", "file " + path}, got["client-secret"])
	assert.Equal(t, "redis://:xxxxx@127.0.0.1:1/0", got["redis-url"].Value)
	assert.Equal(t, shownSetting{"quota users.get", "50/s", "file " + path}, got["quota users.get"])
	assert.Equal(t, shownSetting{"quota users.list", "10/s", "flag --quota"}, got["quota users.list"])
	for _, out := range []string{r.stdout, r.stderr, cli(t, env, "", "config").stdout} {
		assert.NotContains(t, out, srv.ClientSecret)
		assert.NotContains(t, out, "hunter2")
	}

	// The file's credentials reach the server.
	path = writeConfig(t, settings{AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret}, 0o600)
	delete(env, "EASEMOB_CONFIG")
	r = cli(t, env, "", "users", "get", "alice", "--config", path, "--base-url", srv.URL, "--log-level", "debug")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, srv.ClientSecret)
}

func TestConfigFileProblems(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"HOME": dir}
	r := cli(t, env, "", "config", "--config", filepath.Join(dir, "missing.json"))
	assert.Equal(t, exitConfig, r.code, "a named file must exist")
	assert.Equal(t, exitOK, cli(t, env, "", "config").code, "the default file may be absent")

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"app_kee": "typo"}`), 0o600))
	r = cli(t, env, "", "config", "--config", bad)
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "app_kee")

	open := writeConfig(t, settings{ClientSecret: "s3cret-in-file"}, 0o644)
	r = cli(t, env, "", "config", "--config", open)
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "readable by others")
	assert.NotContains(t, r.stderr+r.stdout, "s3cret-in-file")

	r = cli(t, env, "", "config", "--quota", "users.nope=5/s")
	assert.Equal(t, exitConfig, r.code)
	assert.Contains(t, r.stderr, "unknown quota group")
	assert.Equal(t, exitUsage, cli(t, env, "", "config", "--quota", "users.get").code)
	assert.Equal(t, exitConfig, cli(t, env, "", "config", "--log-level", "loud").code)
	assert.Equal(t, exitConfig, cli(t, env, "", "config", "--profile", "nope").code)

	xdg := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(xdg, "easemob"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(xdg, "easemob", "config.json"), []byte(`{"app_key": "xdg#app"}`), 0o600))
	r = cli(t, map[string]string{"XDG_CONFIG_HOME": xdg}, "", "config")
	assert.Contains(t, r.stdout, "xdg#app")
}

func TestParseLimits(t *testing.T) {
	ls, err := parseLimits("100 calls/s; 6000 messages/min; 5 calls/min per username")
	require.NoError(t, err)
	assert.Equal(t, []ratelimit.Limit{
		{Count: 100, Window: time.Second},
		{Count: 6000, Window: time.Minute, Unit: ratelimit.Messages},
		{Count: 5, Window: time.Minute, Per: "username"},
	}, ls)
	assert.Equal(t, "100 calls/s per App Key; 6000 messages/min per App Key; 5 calls/min per username", formatLimits(ls))
	again, err := parseLimits(formatLimits(ls))
	require.NoError(t, err)
	assert.Equal(t, ls, again, "what formatLimits writes reads back")
	ls, err = parseLimits("30/10s")
	require.NoError(t, err)
	assert.Equal(t, []ratelimit.Limit{{Count: 30, Window: 10 * time.Second}}, ls)
	for _, bad := range []string{"", "x/s", "0/s", "5", "5 pigs/s", "5/fortnight", "5/-1s"} {
		_, err := parseLimits(bad)
		assert.Error(t, err, bad)
	}
}
