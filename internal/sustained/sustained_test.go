package sustained

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestGap(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	// Two calls a window, the window 100 ms: each call's second successor
	// comes 100 ms later, whatever the phases.
	at := ms(0, 10, 100, 110, 200, 210, 300, 310)
	gap, ok := Gap(at, 2, 0, time.Second)
	assert.True(t, ok)
	assert.Equal(t, 100*time.Millisecond, gap)

	// from and to leave out the ends: only 100 -> 200 and 110 -> 210.
	gap, ok = Gap(ms(0, 50, 100, 110, 200, 210, 300), 2, 100*time.Millisecond, 300*time.Millisecond)
	assert.True(t, ok)
	assert.Equal(t, 100*time.Millisecond, gap)

	_, ok = Gap(at, 8, 0, time.Second)
	assert.False(t, ok, "no instant has an eighth successor")
}
