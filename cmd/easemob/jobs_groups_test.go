package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// newCountingServer serves the emulator and counts, by the keys keys
// reads off each request, the requests it accepted (a 2xx answer: a
// request refused for quota and resent is not done twice).
func newCountingServer(t *testing.T, keys func(r *http.Request, body []byte) []string, opts ...easemobtest.Option) *recordingServer {
	rs := &recordingServer{emu: easemobtest.New(opts...), got: map[string]int{}}
	h := rs.emu.Handler()
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if ks := keys(r, body); len(ks) > 0 && sw.status < 300 {
			rs.mu.Lock()
			for _, k := range ks {
				rs.got[k]++
			}
			rs.mu.Unlock()
		}
	}))
	t.Cleanup(rs.Close)
	return rs
}

// statusWriter keeps the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// killAndResume runs a job as a process, kills it once its journal has
// doneAtKill items done (of n), and runs it again to the end; it returns
// the second run's report.
func killAndResume(t *testing.T, env map[string]string, args []string, journalPath string, n, doneAtKill int) jobReport {
	t.Helper()
	bin := binary(t)
	cmd := exec.Command(bin, args...)
	cmd.Env = environ(env)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(20 * time.Second)
	for doneIn(journalPath) < doneAtKill {
		require.True(t, time.Now().Before(deadline), "the job made no progress: %s", out.String())
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.Less(t, doneIn(journalPath), n, "killed in the middle")

	cmd = exec.Command(bin, append(args, "-o", "json")...)
	cmd.Env = environ(env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	var rep jobReport
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), stdout.String())
	return rep
}

// doneIn counts the done lines of a journal.
func doneIn(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return bytes.Count(b, []byte(`"s":"done"`))
}

// writeLines writes a job's input file.
func writeLines(t *testing.T, dir, name string, lines []string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	return path
}

// memberRows are the CSV rows adding users prefix0..prefix(n-1) to group.
func memberRows(group, prefix string, from, n int) []string {
	var out []string
	for i := from; i < from+n; i++ {
		out = append(out, fmt.Sprintf("%s,%s%d", group, prefix, i))
	}
	return out
}

func TestJobAddGroupMembers(t *testing.T) {
	srv := easemobtest.NewServer(t)
	_, err := srv.AddUsers(100, "u", "pw")
	require.NoError(t, err)
	require.NoError(t, srv.AddUser("owner", "pw"))
	require.NoError(t, srv.AddUser("bob", "pw"))
	g1, err := srv.AddGroup("owner", "bob")
	require.NoError(t, err)
	g2, err := srv.AddGroup("owner")
	require.NoError(t, err)
	run := emuCLIOn(t, srv)
	dir := t.TempDir()
	lines := append([]string{"group_id,username"}, memberRows(g1, "u", 0, 100)...)
	lines = append(lines, memberRows(g2, "u", 0, 30)...)
	lines = append(lines, g1+",Bob", g2+",bad name")
	path := writeLines(t, dir, "members.csv", lines)

	r := cli(t, run.env, "", "job", "add-group-members", path, "--progress", "lines", "-o", "json")
	require.Equal(t, exitItemsFailed, r.code, r.stderr)
	var rep jobReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	assert.Equal(t, 132, rep.Items)
	assert.Equal(t, 130, rep.Done)
	require.Len(t, rep.NotDone, 2)
	assert.Equal(t, g1+"/bob", rep.NotDone[0].Key, "already a member")
	assert.Equal(t, 132, rep.NotDone[0].Line)
	assert.Equal(t, g2+"/bad name", rep.NotDone[1].Key)
	assert.Contains(t, rep.NotDone[1].Reason, "username")
	// 60 of g1; 40 of g1 and 20 of g2; 10 of g2 with the bad name, which
	// the SDK refused before sending, so sent one by one, and bob.
	calls := srv.OpStats("groups.AddMembers").Received
	assert.Equal(t, 1+2+10+1, calls)
	var members []struct{ Username string }
	run.json(&members, "groups", "members", g1, "--all")
	assert.Len(t, members, 102, "owner, bob and 100")
	run.json(&members, "groups", "members", g2, "--all")
	assert.Len(t, members, 31)

	// A second run sends nothing and reports the same failures.
	r = cli(t, run.env, "", "job", "add-group-members", path, "--progress", "off")
	assert.Equal(t, exitItemsFailed, r.code)
	assert.Equal(t, calls, srv.OpStats("groups.AddMembers").Received)
	assert.Contains(t, r.stdout, "bad name")
	counts := journalCounts(t, path+".journal")
	assert.Equal(t, map[string]int{"done": 1}, counts[g2+"/u29"])
	assert.Len(t, counts, 132, "one journal key per row")
}

// A job killed in the middle and run again adds every member once: none
// twice, none lost.
func TestJobAddGroupMembersResumesAfterKill(t *testing.T) {
	path := regexp.MustCompile(`/chatgroups/([^/]+)/users$`)
	rs := newCountingServer(t, func(r *http.Request, body []byte) []string {
		m := path.FindStringSubmatch(r.URL.Path)
		if r.Method != http.MethodPost || m == nil {
			return nil
		}
		var b struct{ Usernames []string }
		_ = json.Unmarshal(body, &b)
		var keys []string
		for _, u := range b.Usernames {
			keys = append(keys, m[1]+"/"+strings.ToLower(u))
		}
		return keys
	}, easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupGroupsAddMembers,
		Limits: []ratelimit.Limit{{Count: 5, Window: time.Second}}}))
	_, err := rs.emu.AddUsers(150, "k", "pw")
	require.NoError(t, err)
	require.NoError(t, rs.emu.AddUser("owner", "pw"))
	const groupsN, per = 10, 150
	lines := []string{"group_id,username"}
	var ids []string
	for range groupsN {
		id, err := rs.emu.AddGroup("owner")
		require.NoError(t, err)
		ids = append(ids, id)
		lines = append(lines, memberRows(id, "k", 0, per)...)
	}
	n := groupsN * per // about 34 calls at 5 a second
	dir := t.TempDir()
	input := writeLines(t, dir, "members.csv", lines)
	env := rs.env(t)
	args := []string{"job", "add-group-members", input, "--quota", "groups.add_members=5/s", "--progress", "lines", "--concurrency", "4"}

	rep := killAndResume(t, env, args, input+".journal", n, 6*60)
	assert.Equal(t, n, rep.Done)
	assert.Empty(t, rep.NotDone)
	assert.Positive(t, rep.DoneBefore)
	assert.Positive(t, rs.emu.OpStats("groups.IsMember").Received, "the calls cut by the kill were settled with the server")

	run := &emuCLI{t: t, env: env}
	for _, id := range ids {
		var members []struct{ Username string }
		run.json(&members, "groups", "members", id, "--all")
		assert.Len(t, members, per+1, "none lost")
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	for _, id := range ids {
		for i := range per {
			key := fmt.Sprintf("%s/k%d", id, i)
			assert.Equal(t, 1, rs.got[key], "%s sent once", key)
		}
	}
	counts := journalCounts(t, input+".journal")
	require.Len(t, counts, n)
	for key, c := range counts {
		assert.Equal(t, map[string]int{"done": 1}, c, key)
	}
}
