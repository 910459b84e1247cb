package ratelimit

// QueuedIdle reports how many queued calls other than the sleeper are
// blocked with no wake-up pending. With the sleeper's timer counted by a
// ManualClock, tests know when every caller is parked and the clock may move.
func (l *Limiter) QueuedIdle() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, first := range l.queue.first {
		for w := first; w != nil; w = w.next {
			if w != l.queue.sleeper && !w.awake {
				n++
			}
		}
	}
	return n
}
