package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/examples/internal/exampletest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstTheEmulator(t *testing.T) {
	// The emulator's clock stands still, so that the slices keep their keys.
	now := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	cfg, emu := exampletest.Emulated(t, easemobtest.WithClock(func() time.Time { return now }))
	require.NoError(t, emu.StoreCallbackFailures(now.Add(-25*time.Minute), 3))
	require.NoError(t, emu.StoreCallbackFailures(now.Add(-25*time.Minute), 2))
	require.NoError(t, emu.StoreCallbackFailures(now.Add(-time.Minute), 1))
	assert.Equal(t, `2 slices of failed webhooks stored
202503140900: 5 webhooks, redelivery accepted: true
202503140920: 1 webhooks, redelivery accepted: true
202503140900 now redelivered 1 times
202503140920 now redelivered 1 times
redelivery of an empty slice accepted: false
a malformed slice key is refused before sending: invalid Date
`, exampletest.Output(t, run, cfg))
	assert.Equal(t, 3, emu.OpStats("callbacks.Retry").Received, "the malformed key never left")
}
