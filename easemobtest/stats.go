package easemobtest

import (
	"maps"
	"sync"

	"github.com/emquota/easemob/internal/catalog"
)

// OpStats is what the emulator saw of one op since it started or since the
// last ResetStats. Received, Accepted, RateLimited and QuotaExceeded count
// as in GroupStats, for this op's calls only.
type OpStats struct {
	Received      int
	Accepted      int
	RateLimited   int
	QuotaExceeded int
	// Injected counts calls answered by an InjectFault or FailNext status.
	Injected int
	// Dropped counts connections closed by a Drop fault, before or after
	// the server acted (a drop before it is in no other counter).
	Dropped int
	// Statuses counts the answers sent, by HTTP status, auth failures and
	// validation errors included; nil when none was sent.
	Statuses map[int]int
}

// opCounters holds the OpStats of every op that was called.
type opCounters struct {
	mu sync.Mutex
	m  map[*catalog.Op]*OpStats
}

func newOpCounters() *opCounters { return &opCounters{m: map[*catalog.Op]*OpStats{}} }

// add applies fn to the op's counters.
func (c *opCounters) add(op *catalog.Op, fn func(*OpStats)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.m[op]
	if st == nil {
		st = &OpStats{}
		c.m[op] = st
	}
	fn(st)
}

func (c *opCounters) verdict(op *catalog.Op, v verdict) {
	c.add(op, func(st *OpStats) {
		st.Received++
		switch v {
		case admitted:
			st.Accepted++
		case overCalls:
			st.RateLimited++
		case overMessages:
			st.QuotaExceeded++
		}
	})
}

func (c *opCounters) injected(op *catalog.Op, status int) {
	c.add(op, func(st *OpStats) {
		st.Received++
		st.Injected++
		if status == 429 {
			st.RateLimited++
		}
	})
}

func (c *opCounters) answered(op *catalog.Op, status int, dropped bool) {
	c.add(op, func(st *OpStats) {
		if dropped {
			st.Dropped++
			return
		}
		if st.Statuses == nil {
			st.Statuses = map[int]int{}
		}
		st.Statuses[status]++
	})
}

func (c *opCounters) get(op *catalog.Op) OpStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.m[op]
	if st == nil {
		return OpStats{}
	}
	out := *st
	out.Statuses = maps.Clone(st.Statuses)
	return out
}

func (c *opCounters) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// OpStats returns what the emulator saw of the op named opID (e.g.
// "users.Get"); an unknown id gives the zero value.
func (e *Emulator) OpStats(opID string) OpStats {
	op, ok := opByID(e.ops, opID)
	if !ok {
		return OpStats{}
	}
	return e.opStats.get(op)
}
