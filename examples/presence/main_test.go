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
	assert.Equal(t, `dave follows example-presence-alice: done
dave follows example-presence-bob: done
example-presence-alice: done, web online (in a meeting)
example-presence-bob: done, android custom 2 (driving)
example-presence-carol: failed (not in the server's answer)
dave had 2 subscriptions, 1 a page; after unsubscribing 0
`, out)
	assert.Empty(t, emu.Usernames())
}
