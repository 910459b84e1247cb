package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/callbacks"
)

func TestCallbacksCommands(t *testing.T) {
	e := newEmuCLI(t)
	var sets []callbacks.FailureSet
	e.json(&sets, "callbacks", "storage")
	assert.Empty(t, sets)

	// The emulator keeps 3 days back from its clock, the real one here.
	at := time.Now().UTC().Add(-time.Hour).Truncate(10 * time.Minute)
	require.NoError(t, e.srv.StoreCallbackFailures(at, 4))
	require.NoError(t, e.srv.StoreCallbackFailures(at.Add(3*time.Minute), 2))
	e.json(&sets, "callbacks", "storage")
	slice := at.Format("200601021504")
	assert.Equal(t, []callbacks.FailureSet{{Date: slice, Size: 6}}, sets)
	r := e.ok("callbacks", "storage")
	assert.Regexp(t, `(?m)^DATE\s+SIZE\s+RETRY\n`+slice+`\s+6\s+0$`, r.stdout)

	var res redelivered
	e.json(&res, "callbacks", "redeliver", slice)
	assert.Equal(t, redelivered{slice, true}, res)
	e.json(&res, "callbacks", "redeliver", slice, "--retry", "1", "--target-url", "https://example.com/hook")
	assert.True(t, res.Result)
	e.json(&sets, "callbacks", "storage")
	assert.Equal(t, 2, sets[0].Retry, "two redeliveries")

	e.json(&res, "callbacks", "redeliver", at.Add(10*time.Minute).Format("200601021504"))
	assert.False(t, res.Result, "nothing stored in that slice")
	assert.Equal(t, exitUsage, e.code("callbacks", "redeliver", "2021-09-09"), "not a slice key")
	assert.Equal(t, exitUsage, e.code("callbacks", "redeliver", slice, "--target-url", "ftp://x"))
}
