package easemobtest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Counts run in the order of the arrivals, whatever order the requests
// reach their count in, and a dropped ticket holds up nobody.
func TestArrivalsCountInArrivalOrder(t *testing.T) {
	var line arrivals
	t0 := time.Now() // real instants: a ticket holds the line for holdUp after its own
	third := line.take(t0.Add(3 * time.Millisecond))
	first := line.take(t0.Add(1 * time.Millisecond))
	dropped := line.take(t0.Add(1500 * time.Microsecond))
	second := line.take(t0.Add(2 * time.Millisecond))
	secondAgain := line.take(t0.Add(2 * time.Millisecond)) // same instant: after, as taken

	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	count := func(name string, tk *ticket) {
		wg.Go(func() {
			tk.count(func(time.Time) {
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
			})
		})
	}
	// The latest arrivals come to their count first.
	count("third", third)
	count("secondAgain", secondAgain)
	time.Sleep(10 * time.Millisecond)
	count("second", second)
	time.Sleep(10 * time.Millisecond)
	mu.Lock()
	assert.Empty(t, order, "nothing counts before the first arrival's count")
	mu.Unlock()
	count("first", first)
	counted := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(order)
	}
	assert.Eventually(t, func() bool { return len(counted()) == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	assert.Equal(t, []string{"first"}, counted(), "the dropped ticket's turn holds the rest")
	dropped.drop()
	dropped.drop() // a no-op the second time
	wg.Wait()
	assert.Equal(t, []string{"first", "second", "secondAgain", "third"}, order)
	assert.Empty(t, line.pending)
	var none *ticket
	none.drop() // a request without a ticket
}

// A request that comes to its check long after its arrival holds up the
// later ones no longer, and is counted at the latest instant counted.
func TestArrivalsStaleTicketIsPassed(t *testing.T) {
	var line arrivals
	now := time.Now()
	slow := line.take(now.Add(-2 * holdUp))
	prompt := line.take(now)
	ran := 0
	assert.Equal(t, now, prompt.count(func(at time.Time) { ran++ }), "not held up by a stale ticket")
	assert.Equal(t, now, slow.count(func(at time.Time) { ran++ }), "counted after the later arrival, at its instant")
	assert.Equal(t, 2, ran)
	assert.Empty(t, line.pending)
}
