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
	assert.Equal(t, `registered example-users-alice (Alice)
registered 3 in a batch
example-users-alice is activated: true
listed 4 users, 2 a page
example-users-bot0 banned: activated false
unbanned bot0 and changed alice's password
example-users-alice online: false
example-users-bot1 online: false
deleted them; alice is not found any more
`, out)
	assert.Empty(t, emu.Usernames())
}
