package easemob

import (
	"slices"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

//go:generate go run ./internal/cmd/quotagen

// DefaultQuotas returns the documented default quota of every endpoint group,
// in the order of the documented rate-limit table. The result is a fresh copy:
// callers may change it (for example to raise limits for a VIP plan).
func DefaultQuotas() []ratelimit.Quota {
	qs := make([]ratelimit.Quota, len(catalog.Groups))
	for i, q := range catalog.Groups {
		qs[i] = ratelimit.Quota{Group: q.Group, Limits: slices.Clone(q.Limits)}
	}
	return qs
}
