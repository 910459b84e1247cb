package main

import (
	"context"
	"flag"
	"net/url"
	"sort"
)

func init() {
	addCommand(&command{path: "config", maxArgs: 0, client: true,
		summary: "show the settings in force and where each came from; secrets redacted",
		setup: func(*flag.FlagSet) runner {
			return func(_ context.Context, x *call) error {
				return x.out.print(x.conn.shown())
			}
		}})
}

// shownSetting is one row of `easemob config`.
type shownSetting struct {
	Setting string `json:"setting"`
	Value   string `json:"value"`
	Source  string `json:"source"`
}

// shown lists the settings with every secret redacted: credentials whole,
// a Redis URL's password.
func (c *connection) shown() []shownSetting {
	var out []shownSetting
	for _, s := range settingList {
		v := *s.field(&c.settings)
		if v == "" {
			continue
		}
		switch {
		case s.flag == "redis-url":
			v = redactURL(v)
		case s.secret:
			v = "[redacted]"
		}
		out = append(out, shownSetting{Setting: s.flag, Value: v, Source: c.sources[s.flag]})
	}
	groups := make([]string, 0, len(c.settings.Quotas))
	for g := range c.settings.Quotas {
		groups = append(groups, g)
	}
	sort.Strings(groups)
	for _, g := range groups {
		out = append(out, shownSetting{Setting: "quota " + g, Value: c.settings.Quotas[g], Source: c.sources["quota "+g]})
	}
	return out
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[redacted]" // unparsable: it may hold anything
	}
	return u.Redacted()
}
