package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/ratelimit"
)

// parseLimits reads the sides of a quota as the docs and
// ratelimit.Limit.String write them, separated by ";":
//
//	100/s
//	100 calls/s; 6000 messages/min
//	5 calls/min per username
//
// A window is s, min, h, day or a Go duration (10s, 2m); the unit is calls
// unless named; "per App Key" is the default scope.
func parseLimits(text string) ([]ratelimit.Limit, error) {
	var out []ratelimit.Limit
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		l, err := parseLimit(part)
		if err != nil {
			return nil, fmt.Errorf("limit %q: %w", part, err)
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no limits in %q", text)
	}
	return out, nil
}

func parseLimit(s string) (ratelimit.Limit, error) {
	var l ratelimit.Limit
	rate, scope, scoped := strings.Cut(s, " per ")
	if scoped {
		if scope = strings.TrimSpace(scope); scope != "App Key" {
			l.Per = scope
		}
	}
	count, window, ok := strings.Cut(rate, "/")
	if !ok {
		return l, fmt.Errorf("want COUNT[ UNIT]/WINDOW")
	}
	fields := strings.Fields(count)
	switch {
	case len(fields) == 2 && fields[1] == "calls":
	case len(fields) == 2 && fields[1] == "messages":
		l.Unit = ratelimit.Messages
	case len(fields) != 1:
		return l, fmt.Errorf("unit must be calls or messages")
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n <= 0 {
		return l, fmt.Errorf("count must be a positive integer")
	}
	l.Count = n
	if l.Window, err = parseWindow(strings.TrimSpace(window)); err != nil {
		return l, err
	}
	return l, nil
}

func parseWindow(w string) (time.Duration, error) {
	switch w {
	case "s":
		return time.Second, nil
	case "min":
		return time.Minute, nil
	case "h":
		return time.Hour, nil
	case "day":
		return 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("window %q is not s, min, h, day or a positive duration", w)
	}
	return d, nil
}

// formatLimits writes limits as parseLimits reads them.
func formatLimits(ls []ratelimit.Limit) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.String()
	}
	return strings.Join(parts, "; ")
}

// quotaFlag collects repeated --quota GROUP=LIMITS flags.
type quotaFlag map[string]string

func (q quotaFlag) String() string { return "" }

func (q quotaFlag) Set(v string) error {
	group, limits, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(group) == "" {
		return fmt.Errorf("want GROUP=LIMITS, e.g. users.get=200/s")
	}
	if _, err := parseLimits(limits); err != nil {
		return err
	}
	q[strings.TrimSpace(group)] = limits
	return nil
}

// quotas turns GROUP=LIMITS texts into quotas, in group order.
func quotas(texts map[string]string, known func(string) bool) ([]ratelimit.Quota, error) {
	var out []ratelimit.Quota
	for group, text := range texts {
		if !known(group) {
			return nil, fmt.Errorf("unknown quota group %q (see easemob quotas)", group)
		}
		ls, err := parseLimits(text)
		if err != nil {
			return nil, fmt.Errorf("quota of %s: %w", group, err)
		}
		out = append(out, ratelimit.Quota{Group: group, Limits: ls})
	}
	slices.SortFunc(out, func(a, b ratelimit.Quota) int { return strings.Compare(a.Group, b.Group) })
	return out, nil
}
