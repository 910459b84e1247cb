package easemob

import (
	"fmt"
	"log/slog"
	"slices"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// QuotaProfile selects the quota table a registry (NewRegistryFor) or an
// emulator (easemobtest.WithQuotas(Quotas(p)...)) follows.
type QuotaProfile int

const (
	// SeedTable is the table the SDK is built on (DefaultQuotas): every
	// group its own budget, in the figures of the seed rate table and of
	// the newest docs wherever the seed states nothing.
	SeedTable QuotaProfile = iota
	// NewestDocs is the newest docs' table: every user-account API (but
	// batch delete, at its own 30 calls/s), push binding and the push
	// nickname and display style share one budget of 100 calls/s per App
	// Key, the pool "users.account". Clients of a registry with this
	// profile spend that one budget across all those groups.
	NewestDocs
)

// profileNames maps each profile but the seed table to its catalog name.
var profileNames = map[QuotaProfile]string{NewestDocs: "newest_docs"}

// String returns "seed" or "newest".
func (p QuotaProfile) String() string {
	switch p {
	case SeedTable:
		return "seed"
	case NewestDocs:
		return "newest"
	}
	return fmt.Sprintf("QuotaProfile(%d)", int(p))
}

// Quotas returns the quota of every group under profile p, in the order of
// DefaultQuotas; a pooled group carries its pool's limits and name
// (ratelimit.Quota.Pool). The result is a fresh copy. It panics on a value
// that is no QuotaProfile constant.
func Quotas(p QuotaProfile) []ratelimit.Quota {
	qs := DefaultQuotas()
	if p == SeedTable {
		return qs
	}
	i := slices.IndexFunc(catalog.Profiles, func(pr catalog.Profile) bool { return pr.Name == profileNames[p] })
	if i < 0 {
		panic("easemob: unknown quota profile " + p.String())
	}
	for _, pool := range catalog.Profiles[i].Pools {
		for _, g := range pool.Groups {
			qs[g].Limits, qs[g].Pool = slices.Clone(pool.Limits), pool.Name
		}
	}
	return qs
}

// NewRegistryFor returns a registry seeded with Quotas(p): give it to
// Config.Registry to budget by that table.
func NewRegistryFor(p QuotaProfile, opts ...ratelimit.Option) *ratelimit.Registry {
	// Nothing is logged through the global logger unless asked.
	quiet := ratelimit.WithLogger(slog.New(slog.DiscardHandler))
	return ratelimit.NewRegistry(Quotas(p), append([]ratelimit.Option{quiet}, opts...)...)
}
