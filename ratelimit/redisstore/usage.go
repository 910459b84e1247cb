package redisstore

import (
	"context"
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

// Usage reads the live state of a group without spending anything: limits
// and margin must be those the group's reservations are made with (a
// registry's limits and margin), since keys follow the limits' order.
func (s *Store) Usage(ctx context.Context, appKey, group string, limits []ratelimit.Limit, margin time.Duration) (Usage, error) {
	nm := s.names(appKey, group, len(limits))
	type side struct {
		base *redis.SliceCmd
		log  *redis.ZSliceCmd
	}
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
					sides[i] = side{p.HMGet(ctx, nm.h[i], "base"), p.ZRangeWithScores(ctx, nm.z[i], 0, -1)}
				}
			}
			return nil
		})
	})
	if err != nil && err != redis.Nil {
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
		prev := int64(0)
		if v := sides[i].base.Val(); len(v) == 1 && v[0] != nil {
			prev, _ = strconv.ParseInt(fmt.Sprint(v[0]), 10, 64)
		}
		cut := now - ceilMicros(l.Window+margin)
		for _, z := range sides[i].log.Val() {
			member, _ := z.Member.(string)
			at, _, _ := strings.Cut(member, ":")
			t, _ := strconv.ParseInt(at, 10, 64)
			cum := int64(z.Score)
			if t > cut {
				u.Used[i] += cum - prev
			}
			prev = cum
		}
	}
	return u, nil
}
