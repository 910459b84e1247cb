package easemobtest

import (
	"sync"
	"sync/atomic"

	"github.com/emquota/easemob/internal/catalog"
)

// served counts, per op, the calls the built-in handlers of every
// emulator in the process answered with success.
var served sync.Map // *catalog.Op -> *atomic.Int64

func countServed(op *catalog.Op) {
	n, ok := served.Load(op)
	if !ok {
		n, _ = served.LoadOrStore(op, new(atomic.Int64))
	}
	n.(*atomic.Int64).Add(1)
}

// Served reports how many calls of the op named opID (e.g. "users.Get")
// the emulators of this process have answered with success from their
// own handlers (not a Handle replacement, not an injected fault) since the
// process started: which operations a test suite really drove through an
// emulator.
func Served(opID string) int {
	op, ok := catalog.OpByID(opID)
	if !ok {
		return 0
	}
	n, ok := served.Load(op)
	if !ok {
		return 0
	}
	return int(n.(*atomic.Int64).Load())
}
