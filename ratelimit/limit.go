package ratelimit

import (
	"fmt"
	"strconv"
	"time"
)

// Unit says what a Limit counts.
type Unit uint8

const (
	// Calls counts HTTP requests: every call costs one.
	Calls Unit = iota
	// Messages counts messages: a send to N targets costs N.
	Messages
)

// String returns "calls" or "messages".
func (u Unit) String() string {
	switch u {
	case Calls:
		return "calls"
	case Messages:
		return "messages"
	}
	return "unit(" + strconv.Itoa(int(u)) + ")"
}

// Limit is one side of a quota: at most Count units in any window of length
// Window. The zero value allows nothing and is rejected by NewRegistry.
type Limit struct {
	// Count is the number of units allowed per Window.
	Count int
	// Window is the length of the sliding window the server counts over.
	Window time.Duration
	// Per names the path parameter whose value scopes the limit (for example
	// "username" for a per-user quota); empty means the whole App Key.
	Per string
	// Unit is what Count counts.
	Unit Unit
}

// String prints the limit the way the docs state it, e.g. "100 calls/s per App Key".
func (l Limit) String() string {
	scope := "App Key"
	if l.Per != "" {
		scope = l.Per
	}
	return fmt.Sprintf("%d %s/%s per %s", l.Count, l.Unit, windowString(l.Window), scope)
}

func windowString(w time.Duration) string {
	switch w {
	case time.Second:
		return "s"
	case time.Minute:
		return "min"
	case time.Hour:
		return "h"
	case 24 * time.Hour:
		return "day"
	}
	switch {
	case w%(24*time.Hour) == 0:
		return fmt.Sprintf("%ddays", w/(24*time.Hour))
	case w%time.Hour == 0:
		return fmt.Sprintf("%dh", w/time.Hour)
	case w%time.Minute == 0:
		return fmt.Sprintf("%dmin", w/time.Minute)
	}
	return w.String()
}

// Quota is the budget of one endpoint group: every Limit applies to each
// call of the group at once.
type Quota struct {
	// Group names the budget, e.g. "users.get".
	Group string
	// Limits are the sides of the budget; a call must fit all of them.
	Limits []Limit
	// Pool, when set, names a budget the group shares with the other groups
	// of its table that name the same Pool: their calls spend one limiter,
	// called Pool. The groups of a pool have equal Limits, none scoped per
	// path value (their paths need not share a parameter).
	Pool string
}
