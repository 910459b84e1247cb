package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/ratelimit"
)

func limiterFor(t *testing.T, q ratelimit.Quota) *ratelimit.Limiter {
	t.Helper()
	reg := easemob.NewRegistry()
	require.NoError(t, reg.Override("o#a", q))
	return reg.App("o#a").Limiter(q.Group)
}

// The ETA is the items left over the quota: calls of 60 at 10 a second,
// or, for a messages quota, their messages.
func TestProgressETAFromQuota(t *testing.T) {
	lim := limiterFor(t, ratelimit.Quota{Group: easemob.GroupUsersAccountWrite, Limits: []ratelimit.Limit{{Count: 10, Window: time.Second}}})
	var out bytes.Buffer
	p := newProgress(&out, "lines", "register-users", 6000, 600, lim, 60, 1)
	now := time.Unix(1000, 0)
	p.now = func() time.Time { return now }
	p.start()
	p.finish()
	assert.Contains(t, out.String(), "600/6000  10.0%")
	assert.Contains(t, out.String(), "quota 600/s")
	assert.Contains(t, out.String(), "ETA 9s", "5400 left: 90 calls at 10/s")

	send := limiterFor(t, ratelimit.Quota{Group: easemob.GroupMessagesSendUsers, Limits: []ratelimit.Limit{
		{Count: 100, Window: time.Second}, {Count: 600, Window: time.Minute, Unit: ratelimit.Messages}}})
	p = newProgress(&out, "off", "send", 1200, 0, send, 1, 2)
	assert.Equal(t, 4*time.Minute, p.eta(1200, 0, 0), "2400 messages at 600/min")
	assert.InDelta(t, 5.0, p.quotaRate(), 1e-9, "10 messages/s, 2 per item")
	assert.Equal(t, 2*time.Minute, p.eta(600, 5, 10*time.Second), "1200 messages at 600/min")
	assert.Equal(t, 10*time.Minute, p.eta(600, 1, 10*time.Second), "a measured rate well below the quota's wins")
	assert.Equal(t, 2*time.Minute, p.eta(600, 1, time.Second), "not after a second: the quota's figure")
}

func TestProgressBarAndCounts(t *testing.T) {
	lim := limiterFor(t, ratelimit.Quota{Group: easemob.GroupUsersGet, Limits: []ratelimit.Limit{{Count: 100, Window: time.Second}}})
	var out bytes.Buffer
	p := newProgress(&out, "bar", "job", 4, 0, lim, 1, 1)
	now := time.Unix(1000, 0)
	p.now = func() time.Time { return now }
	p.began = now
	p.add(stDone)
	p.add(stFailed)
	now = now.Add(time.Second)
	p.note("journal: disk full")
	p.draw(true)
	assert.Contains(t, out.String(), "\r\033[Kjob [============>           ] 2/4  50.0%")
	assert.Contains(t, out.String(), "failed 1  unknown 0\n")
	assert.Contains(t, out.String(), "job: journal: disk full\n")
}

// A line cut by a kill is skipped and ended before the next run appends.
func TestJournalSurvivesACutLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j, seen, err := openJournal(path, "register-users", "in.csv", false)
	require.NoError(t, err)
	assert.Empty(t, seen)
	require.NoError(t, j.sent([]string{"a", "b", "c"}))
	require.NoError(t, j.outcomes([]string{"a", "b"}, []outcome{{state: stDone}, {state: stFailed, reason: "no"}}))
	require.NoError(t, j.close())
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"k":"c","s":"do`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	j, seen, err = openJournal(path, "register-users", "in.csv", true)
	require.NoError(t, err)
	assert.Equal(t, map[string]journalEntry{"a": {state: stDone}, "b": {state: stFailed, reason: "no"}, "c": {state: stSent}}, seen)
	require.NoError(t, j.outcomes([]string{"c"}, []outcome{{state: stDone}}))
	require.NoError(t, j.close())
	seen, err = readJournal(path, "register-users")
	require.NoError(t, err)
	assert.Equal(t, stDone, seen["c"].state)

	_, _, err = openJournal(path, "send-messages", "in.csv", false)
	assert.ErrorContains(t, err, "journal of job register-users")
}
