package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/ratelimit"
)

// quotaProfiles are the quota tables a client can keep to (--profile,
// EASEMOB_QUOTA_PROFILE, "profile" in the config file): "documented" (or
// "seed") is the SDK's table, "newest" the newest docs', which pools the
// user-account APIs into one budget.
var quotaProfiles = map[string]easemob.QuotaProfile{
	"documented": easemob.SeedTable,
	"seed":       easemob.SeedTable,
	"newest":     easemob.NewestDocs,
}

const defaultProfile = "documented"

// profileOf returns the named profile.
func profileOf(name string) (easemob.QuotaProfile, error) {
	if name == "" {
		name = defaultProfile
	}
	p, ok := quotaProfiles[name]
	if !ok {
		names := make([]string, 0, len(quotaProfiles))
		for n := range quotaProfiles {
			names = append(names, n)
		}
		slices.Sort(names)
		return 0, configf("unknown quota profile %q: want %s", name, strings.Join(names, ", "))
	}
	return p, nil
}

func init() {
	addCommand(&command{path: "quotas", args: "[GROUP_PREFIX...]", maxArgs: -1, client: true,
		summary: "the quota table: documented figure, profile, override, effective rate; live state with Redis",
		help: `Each row is a quota group (the unit of budget): its documented limits, the
figures of the --profile in force, the --quota override, and the limits the
client keeps to now (after the server's refusals cut the rate: RATE_FACTOR).
With --redis-url (or REDIS_URL) it also shows, per App Key limit, the units
spent in the current window by every process sharing the budget, and the
shared throttle factor. Arguments keep only the groups starting with them.`,
		setup: func(*flag.FlagSet) runner { return runQuotas }})
}

// quotaRow is one group of the quota table.
type quotaRow struct {
	Group      string  `json:"group"`
	Documented string  `json:"documented"`
	Profile    string  `json:"profile"`
	Override   string  `json:"override,omitempty"`
	Effective  string  `json:"effective"`
	RateFactor float64 `json:"rate_factor"`
	Throttles  int64   `json:"throttles"`
}

// liveQuotaRow adds what a shared store holds.
type liveQuotaRow struct {
	quotaRow
	// Live is, per App Key limit, units spent in the window now / the limit.
	Live         string  `json:"live"`
	SharedFactor float64 `json:"shared_factor"`
}

func runQuotas(ctx context.Context, x *call) error {
	conn := x.conn
	reg, err := conn.registry()
	if err != nil {
		return err
	}
	p, err := profileOf(conn.settings.Profile)
	if err != nil {
		return err
	}
	profile := map[string]string{}
	for _, q := range easemob.Quotas(p) {
		profile[q.Group] = formatLimits(q.Limits)
		if q.Pool != "" {
			profile[q.Group] += ", pooled as " + q.Pool // one budget for every group of the pool
		}
	}
	app := reg.App(conn.settings.AppKey)
	var rows []quotaRow
	var live []liveQuotaRow
	for _, q := range easemob.DefaultQuotas() {
		if len(x.args) > 0 && !slices.ContainsFunc(x.args, func(p string) bool { return strings.HasPrefix(q.Group, p) }) {
			continue
		}
		st := app.Limiter(q.Group).Status()
		row := quotaRow{Group: q.Group, Documented: formatLimits(q.Limits), Profile: profile[q.Group],
			Effective: formatLimits(st.Effective), RateFactor: st.RateFactor, Throttles: st.Throttles}
		if o, ok := conn.settings.Quotas[q.Group]; ok {
			ls, _ := parseLimits(o) // checked when the settings were resolved
			row.Override = formatLimits(ls)
		}
		if conn.store == nil {
			rows = append(rows, row)
			continue
		}
		u, err := conn.store.Usage(ctx, conn.settings.AppKey, q.Group, st.Configured, ratelimit.DefaultMargin)
		if err != nil {
			return err
		}
		var sides []string
		for i, l := range st.Configured {
			if l.Per == "" {
				sides = append(sides, fmt.Sprintf("%d/%d %s/%s", u.Used[i], l.Count, l.Unit, windowName(l)))
			}
		}
		live = append(live, liveQuotaRow{quotaRow: row, Live: strings.Join(sides, "; "), SharedFactor: u.Factor})
	}
	if conn.store != nil {
		return x.out.print(live)
	}
	return x.out.print(rows)
}

// windowName is the window of l as Limit.String writes it ("s", "min").
func windowName(l ratelimit.Limit) string {
	s := l.String()
	rate, _, _ := strings.Cut(s, " per ")
	_, w, _ := strings.Cut(rate, "/")
	return w
}
