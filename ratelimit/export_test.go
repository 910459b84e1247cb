package ratelimit

// QueuedIdle reports how many queued calls other than the sleeper are
// blocked with no wake-up pending, and whether every queued call has seen
// its last wake-up. With the sleeper's timer counted by a ManualClock, tests
// know when every caller is parked and the clock may move.
func (l *Limiter) QueuedIdle() (idle int, settled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	settled = true
	for _, first := range l.queue.first {
		for w := first; w != nil; w = w.next {
			settled = settled && !w.awake
			if w != l.queue.sleeper && !w.awake {
				idle++
			}
		}
	}
	return idle, settled
}
