package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob/ratelimit"
)

// Usage is what the store holds now for one group of one App Key.
type Usage struct {
	// Used has, per limit of the request's limits in order, the units
	// granted in the window that ends now (grants made to wait included);
	// 0 for a per-scope limit, which has one log per scope.
	Used []int64
	// Factor is the group's shared throttle factor (1: none in force).
	Factor float64
}

// Usage reads the live state of a group without spending anything: the
// units of the entries that still count (ended less than one window ago,
// or in flight). limits must be those the group's reservations are made
// with (a registry's limits), since keys follow the limits' order; margin
// is kept for callers of the earlier layout and not needed any more.
func (s *Store) Usage(ctx context.Context, appKey, group string, limits []ratelimit.Limit, margin time.Duration) (Usage, error) {
	nm := s.names(appKey, group, len(limits))
	type side struct{ ended, flight *redis.ZSliceCmd }
	var (
		clock  *redis.TimeCmd
		factor *redis.StringCmd
		sides  = make([]side, len(limits))
	)
	_, err := bounded(ctx, s.timeout, func(ctx context.Context) ([]redis.Cmder, error) {
		return s.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			clock = p.Time(ctx)
			factor = p.Get(ctx, nm.fkey)
			for i, l := range limits {
				if l.Per == "" {
					sides[i] = side{p.ZRangeWithScores(ctx, nm.z[i], 0, -1), p.ZRangeWithScores(ctx, nm.u[i], 0, -1)}
				}
			}
			return nil
		})
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return Usage{}, fmt.Errorf("redisstore: usage %s/%s: %w", appKey, group, err)
	}
	u := Usage{Used: make([]int64, len(limits)), Factor: 1}
	if f, err := strconv.ParseFloat(factor.Val(), 64); err == nil && f > 0 {
		u.Factor = f
	}
	now := clock.Val().UnixMicro()
	for i, l := range limits {
		if l.Per != "" {
			continue
		}
		window := ceilMicros(l.Window)
		for _, z := range sides[i].ended.Val() {
			if int64(z.Score)+window > now {
				u.Used[i] += memberCost(z.Member)
			}
		}
		for _, z := range sides[i].flight.Val() {
			u.Used[i] += memberCost(z.Member) // in flight: counts until settled
		}
	}
	return u, nil
}

// memberCost reads the cost of a log member, "id:cost".
func memberCost(m any) int64 {
	s, _ := m.(string)
	_, cost, _ := strings.Cut(s, ":")
	n, _ := strconv.ParseInt(cost, 10, 64)
	return n
}
