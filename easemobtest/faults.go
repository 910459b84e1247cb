package easemobtest

import (
	"fmt"
	"sync"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// DropMode says whether an injected fault closes the connection instead of
// answering, and when. A drop aborts the handler with
// panic(http.ErrAbortHandler), on which net/http closes the connection; a
// middleware that recovers panics must let that value through.
type DropMode uint8

const (
	// NoDrop answers the call.
	NoDrop DropMode = iota
	// DropBeforeServer closes the connection before the server sees the
	// call: nothing is counted, charged or changed (only OpStats.Dropped).
	DropBeforeServer
	// DropAfterServer lets the server act (quota spent, state changed) and
	// then closes the connection without an answer, as a reply lost on the
	// way back. A client retrying it must cope with the first call's effect.
	DropAfterServer
)

// Fault is a failure injected into the calls of one op. The call has passed
// routing and auth; a Drop wins over Status.
//
// Go's http.Transport may resend an idempotent request (GET, HEAD, ...)
// that met a closed connection it had reused, so a dropped GET can be
// answered by its resend; each attempt takes one of Count.
type Fault struct {
	// Status, when not 0, answers the call with this status and the error
	// body the server uses for it (429 reach_limit, 401 expired token, ...).
	// The call counts as received (a 429 as rate limited) but spends no quota.
	Status int
	// Count is how many calls fail; 0 means every call until ClearFaults.
	Count int
	// Latency delays the answer (or the drop) on top of WithLatency's
	// toClient: a slow op, or one slow enough for a client timeout.
	Latency time.Duration
	// Drop closes the connection instead of answering.
	Drop DropMode
}

// faultStage is where in the pipeline a fault is taken.
type faultStage uint8

const (
	beforeServer faultStage = iota // DropBeforeServer faults only
	afterAuth                      // every other fault
)

type faultRule struct {
	f    Fault
	left int // calls left; 0 means no limit
}

// faultTable holds the pending faults, one per op and one for FailNext.
type faultTable struct {
	mu   sync.Mutex
	byOp map[*catalog.Op]*faultRule
	any  *faultRule // FailNext: every op but the token ones
}

func newFaultTable() *faultTable { return &faultTable{byOp: map[*catalog.Op]*faultRule{}} }

// take consumes one use of the fault meeting op at stage, if any.
func (t *faultTable) take(op *catalog.Op, stage faultStage) (Fault, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rule, own := t.byOp[op], true
	if rule == nil && !isTokenOp(op) {
		rule, own = t.any, false
	}
	if rule == nil || (rule.f.Drop == DropBeforeServer) != (stage == beforeServer) {
		return Fault{}, false
	}
	if rule.left > 0 {
		if rule.left--; rule.left == 0 {
			if own {
				delete(t.byOp, op)
			} else {
				t.any = nil
			}
		}
	}
	return rule.f, true
}

func (t *faultTable) set(op *catalog.Op, f Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if f == (Fault{}) {
		delete(t.byOp, op)
		return
	}
	t.byOp[op] = &faultRule{f: f, left: f.Count}
}

func (t *faultTable) setAny(n, status int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.any = nil
	if n > 0 && status != 0 {
		t.any = &faultRule{f: Fault{Status: status, Count: n}, left: n}
	}
}

func (t *faultTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byOp, t.any = map[*catalog.Op]*faultRule{}, nil
}

// InjectFault makes the calls of the op named opID (e.g. "users.Get") fail
// as f says, replacing the op's previous fault; a zero Fault removes it.
// It is an error to name an unknown op or give an invalid fault.
func (e *Emulator) InjectFault(opID string, f Fault) error {
	op, ok := opByID(e.ops, opID)
	switch {
	case !ok:
		return fmt.Errorf("easemobtest: InjectFault: unknown op %q", opID)
	case f.Status != 0 && (f.Status < 100 || f.Status > 599):
		return fmt.Errorf("easemobtest: InjectFault: status %d", f.Status)
	case f.Count < 0 || f.Latency < 0 || f.Drop > DropAfterServer:
		return fmt.Errorf("easemobtest: InjectFault: invalid fault %+v", f)
	}
	e.faults.set(op, f)
	return nil
}

// ClearFaults removes every injected fault, FailNext's included.
func (e *Emulator) ClearFaults() { e.faults.clear() }

// FailNext makes the next n calls of any op but the token ones answer
// status, as InjectFault with Fault{Status: status, Count: n} would for
// each op. An op's own InjectFault fault takes precedence. n <= 0 cancels
// pending failures.
func (e *Emulator) FailNext(n, status int) { e.faults.setAny(n, status) }
