package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore/redistest"
)

// writeUsers writes n accounts named prefix0..prefix(n-1) as CSV, plus extra lines.
func writeUsers(t *testing.T, dir, prefix string, n int, extra ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("username,password,nickname\n")
	for i := range n {
		fmt.Fprintf(&b, "%s%d,pw-%d,nick %d\n", prefix, i, i, i)
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	path := filepath.Join(dir, prefix+"users.csv")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	return path
}

// journalCounts counts the outcome lines of each key in a journal.
func journalCounts(t *testing.T, path string) map[string]map[string]int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l journalLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Key == "" {
			continue
		}
		if out[l.Key] == nil {
			out[l.Key] = map[string]int{}
		}
		out[l.Key][l.State]++
	}
	return out
}

func TestJobRegisterUsersReportsEveryFailure(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("taken", "pw"))
	env := serverEnv(t, srv)
	dir := t.TempDir()
	path := writeUsers(t, dir, "u", 130, "Taken,pw,", "bad name,pw,")

	r := cli(t, env, "", "job", "register-users", path, "--progress", "lines", "-o", "json")
	require.Equal(t, exitItemsFailed, r.code, r.stderr)
	var rep jobReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	assert.Equal(t, 132, rep.Items)
	assert.Equal(t, 130, rep.Done)
	assert.Equal(t, 2, rep.Failed)
	require.Len(t, rep.NotDone, 2)
	assert.Equal(t, reportItem{Line: 132, Key: "taken", Status: "failed", Reason: rep.NotDone[0].Reason}, rep.NotDone[0])
	assert.Contains(t, rep.NotDone[0].Reason, "exists")
	assert.Equal(t, "bad name", rep.NotDone[1].Key)
	assert.Contains(t, rep.NotDone[1].Reason, "username")
	assert.Len(t, srv.Usernames(), 131)
	assert.Contains(t, r.stderr, "register-users [")
	assert.Contains(t, r.stderr, "130 of 132 items done, 2 failed")
	calls := srv.OpStats("users.RegisterBatch").Received
	assert.Equal(t, 3, calls, "60 + 60 + 12 accounts, the bad one left out before sending")

	// A second run sends nothing and reports the same failures; the table
	// lists them.
	r = cli(t, env, "", "job", "register-users", path, "--progress", "off")
	assert.Equal(t, exitItemsFailed, r.code)
	assert.Equal(t, calls, srv.OpStats("users.RegisterBatch").Received)
	assert.Contains(t, r.stdout, "LINE")
	assert.Contains(t, r.stdout, "bad name")

	// --retry-failed sends them again (the server still refuses "taken").
	r = cli(t, env, "", "job", "register-users", path, "--progress", "off", "--retry-failed", "-o", "json")
	assert.Equal(t, exitItemsFailed, r.code)
	assert.Equal(t, calls+1, srv.OpStats("users.RegisterBatch").Received)
	counts := journalCounts(t, path+".journal")
	assert.Equal(t, map[string]int{"failed": 2}, counts["taken"])
	assert.Equal(t, map[string]int{"done": 1}, counts["u7"])
}

func TestJobInput(t *testing.T) {
	srv := easemobtest.NewServer(t)
	env := serverEnv(t, srv)
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "users.jsonl")
	require.NoError(t, os.WriteFile(jsonl, []byte(`{"username": "j1", "password": "p"}`+"\n\n"+`{"username": "j2", "password": "p", "nickname": "J"}`+"\n"), 0o600))
	r := cli(t, env, "", "job", "register-users", jsonl, "--journal", filepath.Join(dir, "j.journal"), "--progress", "off")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, []string{"j1", "j2"}, srv.Usernames())
	assert.FileExists(t, filepath.Join(dir, "j.journal"))

	for name, body := range map[string]string{
		"dup.csv":      "username,password\na,p\nA,q\n",
		"unknown.csv":  "username,password,colour\na,p,red\n",
		"broken.jsonl": `{"username": "a", "password": "p"` + "\n",
		"empty.csv":    "username,password\n",
		"nokey.csv":    "password\np\n",
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		r := cli(t, env, "", "job", "register-users", p, "--progress", "off")
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.stderr)
		assert.NoFileExists(t, p+".journal", "nothing starts on bad input")
	}
	r = cli(t, env, "", "job", "register-users", jsonl, "--journal", filepath.Join(dir, "users.jsonl"))
	assert.Equal(t, exitUsage, r.code, "not a journal")
}

// recordingServer serves the emulator and counts, per username, the
// registrations that reached it whole.
type recordingServer struct {
	*httptest.Server
	emu *easemobtest.Emulator
	mu  sync.Mutex
	got map[string]int
}

func newRecordingServer(t *testing.T, opts ...easemobtest.Option) *recordingServer {
	rs := &recordingServer{emu: easemobtest.New(opts...), got: map[string]int{}}
	h := rs.emu.Handler()
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/users") {
			body, _ := io.ReadAll(r.Body)
			var accounts []struct{ Username string }
			if json.Unmarshal(body, &accounts) == nil {
				rs.mu.Lock()
				for _, a := range accounts {
					rs.got[strings.ToLower(a.Username)]++
				}
				rs.mu.Unlock()
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *recordingServer) env(t *testing.T) map[string]string {
	return map[string]string{"EASEMOB_BASE_URL": rs.URL, "EASEMOB_APP_KEY": rs.emu.AppKey(),
		"EASEMOB_CLIENT_ID": rs.emu.ClientID(), "EASEMOB_CLIENT_SECRET": rs.emu.ClientSecret(), "HOME": t.TempDir()}
}

func slowAccounts(n int) easemobtest.Option {
	return easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupUsersAccountWrite,
		Limits: []ratelimit.Limit{{Count: n, Window: time.Second}}})
}

// A job killed in the middle and run again registers every account once:
// none twice, none lost.
func TestJobResumesAfterKill(t *testing.T) {
	bin := binary(t)
	rs := newRecordingServer(t, slowAccounts(5))
	env := rs.env(t)
	dir := t.TempDir()
	const n = 1500 // 25 calls at 5 a second
	path := writeUsers(t, dir, "k", n)
	journalPath := path + ".journal"
	args := []string{"job", "register-users", path, "--quota", "users.account_write=5/s", "--progress", "lines", "--concurrency", "4"}

	cmd := exec.Command(bin, args...)
	cmd.Env = environ(env)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for {
		done := 0
		if b, err := os.ReadFile(journalPath); err == nil {
			done = bytes.Count(b, []byte(`"s":"done"`))
		}
		if done >= 6*60 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the job made no progress: %s", out.String())
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	before := len(rs.emu.Usernames())
	require.Less(t, before, n, "killed in the middle")

	cmd = exec.Command(bin, append(args, "-o", "json")...)
	cmd.Env = environ(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	var rep jobReport
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), stdout.String())
	assert.Equal(t, n, rep.Done)
	assert.Empty(t, rep.NotDone)
	assert.Positive(t, rep.DoneBefore)

	assert.Positive(t, rs.emu.OpStats("users.Get").Received, "the calls cut by the kill were settled with the server")
	names := rs.emu.Usernames()
	assert.Len(t, names, n, "none lost")
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for i := range n {
		key := fmt.Sprintf("k%d", i)
		assert.Equal(t, 1, rs.got[key], "%s sent once", key)
	}
	counts := journalCounts(t, journalPath)
	require.Len(t, counts, n)
	for key, c := range counts {
		assert.Equal(t, map[string]int{"done": 1}, c, key)
	}
	assert.Zero(t, rs.emu.Stats(easemob.GroupUsersAccountWrite).RateLimited)
}

// Two jobs at once, in two processes sharing Redis, keep together to one
// App Key's quota: no 429, and the time the quota needs for both.
func TestJobsShareOneBudget(t *testing.T) {
	bin := binary(t)
	redisSrv := redistest.StartServer(t)
	// The server allows 6 a second, the clients 4 together: apart they would
	// send 8, together they leave room for a store grant's jitter.
	rs := newRecordingServer(t, slowAccounts(6))
	env := rs.env(t)
	env["REDIS_URL"] = "redis://" + redisSrv.Addr() + "/0"
	dir := t.TempDir()
	files := []string{writeUsers(t, dir, "a", 480), writeUsers(t, dir, "b", 480)} // 8 calls each
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	outs := make([]*syncBuffer, len(files))
	for i, f := range files {
		outs[i] = &syncBuffer{}
		cmd := exec.CommandContext(ctx, bin, "job", "register-users", f, "--quota", "users.account_write=4/s", "--progress", "lines")
		cmd.Env = environ(env)
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		wg.Go(func() { errs[i] = cmd.Run() })
	}
	wg.Wait()
	took := time.Since(start)
	for i := range files {
		require.NoError(t, errs[i], outs[i].String())
	}
	st := rs.emu.Stats(easemob.GroupUsersAccountWrite)
	assert.Zero(t, st.RateLimited, "one budget for both")
	assert.LessOrEqual(t, st.MaxInWindow[0], 5, "never the 8 a second two budgets would send")
	assert.Equal(t, 16, st.Accepted)
	assert.Len(t, rs.emu.Usernames(), 960)
	assert.GreaterOrEqual(t, took, 2900*time.Millisecond, "16 calls at 4 a second take three windows at least")
	// Each job's ETA came from the quota it shares.
	assert.Contains(t, outs[0].String(), "quota 240/s")
}
