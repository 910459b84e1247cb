package callbacks_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test closes what it starts: clients and emulators.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
