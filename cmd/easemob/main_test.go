package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

func TestQuotasPrintsEveryGroup(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"quotas"}, &out))
	assert.Contains(t, out.String(), "messages.send_users")
	assert.Contains(t, out.String(), "100 calls/s per App Key; 6000 messages/min per App Key")
	assert.Contains(t, out.String(), "5 calls/min per username")
}

func TestQuotasByProfile(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run([]string{"quotas", "--profile", "newest"}, &out))
	lines := strings.Split(out.String(), "\n")
	assert.Regexp(t, `^users\.get_status_batch +100 calls/s per App Key +users\.account$`, find(lines, "users.get_status_batch "))
	assert.Regexp(t, `^users\.delete_batch +30 calls/s per App Key *$`, find(lines, "users.delete_batch "), "not pooled")

	out.Reset()
	require.NoError(t, run([]string{"quotas", "--profile", "seed"}, &out))
	assert.Regexp(t, `^users\.get_status_batch +50 calls/s per App Key *$`, find(strings.Split(out.String(), "\n"), "users.get_status_batch "))
	assert.Error(t, run([]string{"quotas", "--profile", "oldest"}, &bytes.Buffer{}))
	assert.Error(t, run([]string{"emulate", "--profile", "oldest"}, &bytes.Buffer{}))
}

func find(lines []string, prefix string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

func TestParseAlgorithm(t *testing.T) {
	for _, a := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow, easemobtest.TokenBucket} {
		got, err := parseAlgorithm(a.String())
		require.NoError(t, err)
		assert.Equal(t, a, got)
	}
	_, err := parseAlgorithm("leaky")
	assert.Error(t, err)
}

func TestUsage(t *testing.T) {
	assert.Error(t, run(nil, &bytes.Buffer{}))
	err := run([]string{"frobnicate"}, &bytes.Buffer{})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "frobnicate"))
	assert.Error(t, run([]string{"emulate", "--algorithm", "leaky"}, &bytes.Buffer{}))
}
