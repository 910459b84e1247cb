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
	assert.Equal(t, `alice started "v2.0 release notes"
added bob and carol; removing carol: done
member example-threads-alice
member example-threads-bob
bob's thread in the group: "v2.0 release notes" by example-threads-alice
deleted the thread; deleting it again is not found
`, out)
	assert.Empty(t, emu.Usernames())
}
