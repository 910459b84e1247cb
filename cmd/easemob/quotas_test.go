package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

func TestQuotasTable(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir()}
	r := cli(t, env, "", "quotas")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "messages.send_users")
	assert.Contains(t, r.stdout, "100 calls/s per App Key; 6000 messages/min per App Key")
	assert.Contains(t, r.stdout, "5 calls/min per username")

	r = cli(t, env, "", "quotas", "users.get", "users.list", "--quota", "users.get=200/s", "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rows []quotaRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.Len(t, rows, 7, "the groups starting users.get or users.list")
	assert.Equal(t, quotaRow{Group: "users.get", Documented: "100 calls/s per App Key", Profile: "100 calls/s per App Key",
		Override: "200 calls/s per App Key", Effective: "200 calls/s per App Key", RateFactor: 1}, rows[0])
	assert.Equal(t, "users.list", rows[1].Group)
	assert.Empty(t, rows[1].Override)
}

// With Redis the table shows what every process sharing the budget spent
// in the window now.
func TestQuotasLiveFromRedis(t *testing.T) {
	rs := redistest.StartServer(t)
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	env := serverEnv(t, srv)
	env["REDIS_URL"] = "redis://" + rs.Addr() + "/0"
	slow := "users.get=100/min" // a window long enough to read back
	for range 3 {
		r := cli(t, env, "", "users", "get", "alice", "--quota", slow)
		require.Equal(t, exitOK, r.code, r.stderr)
	}
	r := cli(t, env, "", "quotas", easemob.GroupUsersGet, "--quota", slow, "-o", "json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rows []liveQuotaRow
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rows))
	require.NotEmpty(t, rows)
	assert.Equal(t, "users.get", rows[0].Group)
	assert.Equal(t, "3/100 calls/min", rows[0].Live)
	assert.Equal(t, 1.0, rows[0].SharedFactor)
	r = cli(t, env, "", "quotas", easemob.GroupUsersGet, "--quota", slow)
	assert.Contains(t, r.stdout, "LIVE")
}

// --profile newest shows the pooled account APIs with their pool.
func TestQuotasNewestProfile(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir()}
	r := cli(t, env, "", "quotas", "--profile", "newest", "users.get")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "pooled as users.account")
	r = cli(t, env, "", "quotas", "--profile", "nonsense")
	assert.NotEqual(t, exitOK, r.code, r.stdout)
}
