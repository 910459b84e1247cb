package easemob_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test closes what it starts: clients, emulators, Redis clients.
// go-redis probes a server it failed to dial from a goroutine of its own,
// which sees a Close only when its one-second sleep ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/redis/go-redis/v9/internal/pool.(*ConnPool).tryDial"))
}
