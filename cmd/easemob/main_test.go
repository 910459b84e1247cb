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
