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
	assert.Equal(t, `created a private group of alice and bob
add example-groups-bob: failed (not among the server's new members)
add example-groups-carol: done
add example-groups-dave: done
member example-groups-alice (owner)
member example-groups-bob (member)
member example-groups-carol (member)
member example-groups-dave (member)
muted example-groups-dave for 10m0s
owner now example-groups-carol, 4 members
dissolved; listing its members now answers 404 service_resource_not_found
`, out)
	assert.Empty(t, emu.Usernames())
}
