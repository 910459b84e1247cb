package easemob_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test closes what it starts: clients, emulators, Redis clients.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
