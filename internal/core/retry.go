package core

import (
	"math/rand/v2"
	"time"

	"github.com/emquota/easemob/option"
)

// backoff is the wait before attempt n+1 (n >= 1): full jitter over an
// exponential ceiling.
func backoff(p option.RetryPolicy, n int) time.Duration {
	ceil := p.BaseDelay << min(n-1, 20)
	if ceil <= 0 || ceil > p.MaxDelay {
		ceil = p.MaxDelay
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}
