package redisstore

import (
	"context"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// ReserveClock is Reserve that also returns the Redis server time the
// decision was made at (the grant, if any, is at now + wait), so tests can
// check the store without trusting their own clocks.
func ReserveClock(ctx context.Context, s *Store, r ratelimit.StoreRequest) (now time.Time, wait time.Duration, ok bool, err error) {
	return s.reserve(ctx, r)
}
