package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/emquota/easemob/examples/internal/exampletest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstTheEmulator(t *testing.T) {
	out, emu := exampletest.Run(t, run)
	assert.Equal(t, `created the room; added 3 of 3 in a batch
ben sets song: failed (others are not allowed to be set)
ben sets votes: failed (others are not allowed to be set)
forced: song=encore votes=12
example-chatrooms-cat muted: forever true, active true
owner example-chatrooms-host
4 members, 2 a page
dissolved; the room is not found any more
`, out)
	assert.Empty(t, emu.Usernames())
}
