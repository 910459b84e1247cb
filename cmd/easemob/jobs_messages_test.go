package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// userList is "prefix0;...;prefix(n-1)" from from on.
func userList(prefix string, from, n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s%d", prefix, from+i)
	}
	return strings.Join(names, ";")
}

func TestJobSendMessages(t *testing.T) {
	srv := easemobtest.NewServer(t)
	_, err := srv.AddUsers(700, "u", "pw")
	require.NoError(t, err)
	for _, u := range []string{"alice", "bob"} {
		require.NoError(t, srv.AddUser(u, "pw"))
	}
	group, err := srv.AddGroup("alice", "bob")
	require.NoError(t, err)
	run := emuCLIOn(t, srv)
	dir := t.TempDir()
	path := writeLines(t, dir, "messages.csv", []string{
		"id,from,to,chat_type,type,text,custom_event,custom_exts",
		"all,alice," + userList("u", 0, 700) + ",,,hello all,,",
		"grp,alice," + group + ",groupchat,,to the group,,",
		`gift,,bob,,custom,,rose,"{""colour"":""red""}"`,
		",alice,bad#name,,,no id: keyed by a digest,,",
	})

	r := cli(t, run.env, "", "job", "send-messages", path, "--progress", "lines", "-o", "json")
	require.Equal(t, exitItemsFailed, r.code, r.stderr)
	var rep jobReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep), r.stdout)
	assert.Equal(t, 703, rep.Items, "one item per recipient")
	assert.Equal(t, 702, rep.Done)
	require.Len(t, rep.NotDone, 1)
	assert.Equal(t, 5, rep.NotDone[0].Line)
	assert.Regexp(t, `^h[0-9a-f]{12}>bad#name$`, rep.NotDone[0].Key)
	assert.Contains(t, rep.NotDone[0].Reason, "target")
	// 600 of "all"; its other 100 and the gift; the bad name refused
	// before sending.
	calls := srv.OpStats("messages.SendToUsers").Received
	assert.Equal(t, 3, calls)
	assert.Equal(t, 1, srv.OpStats("messages.SendToGroups").Received)
	var n offlineCount
	run.json(&n, "users", "offline-count", "u699")
	assert.Equal(t, 1, n.Count, "delivered to the last of the 700")
	run.json(&n, "users", "offline-count", "bob")
	assert.Equal(t, 1, n.Count, "the custom message")
	counts := journalCounts(t, path+".journal")
	assert.Len(t, counts, 703)
	assert.Equal(t, map[string]int{"done": 1}, counts["all>u650"])
	assert.Equal(t, map[string]int{"done": 1}, counts["grp>"+group])

	// A second run sends nothing; --retry-failed tries the bad name again.
	r = cli(t, run.env, "", "job", "send-messages", path, "--progress", "off")
	assert.Equal(t, exitItemsFailed, r.code)
	assert.Contains(t, r.stdout, "bad#name")
	r = cli(t, run.env, "", "job", "send-messages", path, "--progress", "off", "--retry-failed")
	assert.Equal(t, exitItemsFailed, r.code)
	assert.Equal(t, calls, srv.OpStats("messages.SendToUsers").Received)

	for name, body := range map[string]string{
		"chattype.csv": "to,chat_type,text\nbob,sms,x\n",
		"twice.csv":    "to,text\nbob;Bob,x\n",
		"same.csv":     "to,text\nbob,x\nbob,x\n",
		"type.csv":     "to,type,text\nbob,voice,x\n",
		"noto.jsonl":   `{"text": "x"}` + "\n",
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		r := cli(t, run.env, "", "job", "send-messages", p, "--progress", "off")
		assert.Equal(t, exitUsage, r.code, "%s: %s", name, r.stderr)
		assert.NoFileExists(t, p+".journal", "nothing starts on bad input")
	}
	assert.Equal(t, calls, srv.OpStats("messages.SendToUsers").Received)
}

// A job killed in the middle and run again delivers every recipient's
// copy once: none twice, none lost.
func TestJobSendMessagesResumesAfterKill(t *testing.T) {
	rs := newCountingServer(t, func(r *http.Request, body []byte) []string {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/messages/users") {
			return nil
		}
		var b struct {
			To   []string
			Body struct{ Msg string }
		}
		_ = json.Unmarshal(body, &b)
		var keys []string
		for _, to := range b.To {
			keys = append(keys, b.Body.Msg+">"+to)
		}
		return keys
	}, easemobtest.WithQuotas(
		ratelimit.Quota{Group: easemob.GroupMessagesSendUsers, Limits: []ratelimit.Limit{{Count: 2, Window: time.Second}}},
		ratelimit.Quota{Group: easemob.GroupMessagesSearch, Limits: []ratelimit.Limit{{Count: 2000, Window: time.Second}}}))
	const rows, per = 12, 100 // two chunks of 600 recipients, six calls each
	_, err := rs.emu.AddUsers(per, "k", "pw")
	require.NoError(t, err)
	lines := []string{"id,from,to,text"}
	for i := range rows {
		lines = append(lines, fmt.Sprintf("r%d,,%s,message %d", i, userList("k", 0, per), i))
	}
	n := rows * per
	input := writeLines(t, t.TempDir(), "messages.csv", lines)
	args := []string{"job", "send-messages", input, "--quota", "messages.send_users=2/s", "--quota", "messages.search=2000/s",
		"--progress", "lines", "--concurrency", "1"}

	rep := killAndResume(t, rs.env(t), args, input+".journal", n, 600)
	assert.Equal(t, n, rep.Done)
	assert.Empty(t, rep.NotDone)
	assert.Equal(t, 600, rep.DoneBefore)
	assert.Positive(t, rs.emu.OpStats("messages.Search").Received, "the items cut by the kill were settled with the server")

	rs.mu.Lock()
	defer rs.mu.Unlock()
	for i := range rows {
		for j := range per {
			key := fmt.Sprintf("message %d>k%d", i, j)
			assert.Equal(t, 1, rs.got[key], "%s sent once", key)
		}
	}
	assert.Len(t, rs.got, n, "none lost")
	counts := journalCounts(t, input+".journal")
	require.Len(t, counts, n)
	for key, c := range counts {
		assert.Equal(t, map[string]int{"done": 1}, c, key)
	}
}
