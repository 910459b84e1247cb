// Package sustained measures the rate a saturated quota runs at from the
// times its calls arrived (or were answered).
package sustained

import "time"

// Gap returns the mean time from each instant at or after from to its
// count-th successor, for the successors before to: the time in which a
// whole quota of count calls goes, whatever the phases of the calls.
// Counting calls between two instants instead is off by up to one call per
// slot of the window while the slots' phases drift. at must be sorted; ok
// is false when no instant has such a successor.
func Gap(at []time.Duration, count int, from, to time.Duration) (mean time.Duration, ok bool) {
	var sum time.Duration
	n := 0
	for i, a := range at {
		j := i + count
		if j >= len(at) || at[j] >= to {
			break
		}
		if a >= from {
			sum += at[j] - a
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / time.Duration(n), true
}
