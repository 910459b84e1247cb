// Command presence walks through the presence module: a user sets a
// status, another subscribes to it, reads the statuses of the users it
// follows (and of one it does not), pages through its subscriptions and
// ends them.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, users named "example-presence-*";
// the app must have presence enabled).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/presence"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, names, finish, err := exampleenv.Start(ctx, cfg, "example-presence-", "alice", "bob", "carol", "dave")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	alice, bob, carol, dave := names[0], names[1], names[2], names[3]

	// A status is per device resource, with a text of the app's own;
	// numbers other than 0 and 1 are statuses of the app's own too.
	if err := c.Presence.SetStatus(ctx, alice, "web", presence.Online, "in a meeting"); err != nil {
		return err
	}
	if err := c.Presence.SetStatus(ctx, bob, "android", "2", "driving"); err != nil {
		return err
	}

	// Subscriptions last at most 30 days: a longer one is refused before
	// anything is sent.
	_, err = c.Presence.Subscribe(ctx, dave, []string{alice, bob, carol}, 60*24*time.Hour)
	if !errors.Is(err, easemob.ErrInvalidArgument) {
		return fmt.Errorf("a 60-day subscription should be refused: %w", err)
	}
	subs, err := c.Presence.Subscribe(ctx, dave, []string{alice, bob}, 7*24*time.Hour)
	if err != nil {
		return err
	}
	for _, it := range subs.Items {
		fmt.Fprintf(out, "dave follows %s: %s\n", it.Input, it.Status)
	}

	// The server answers only for users dave follows: carol is reported
	// failed, left out of the answer, while the others come back.
	st, err := c.Presence.Statuses(ctx, dave, []string{alice, bob, carol})
	if err != nil && !errors.As(err, new(*batch.Error)) {
		return err
	}
	for _, it := range st.Items {
		fmt.Fprintf(out, "%s: %s", it.Input, exampleenv.Outcome(it))
		for resource, status := range it.Value.Status { // one device each here
			fmt.Fprintf(out, ", %s %s (%s)", resource, statusName(status), it.Value.Ext)
		}
		fmt.Fprintln(out)
	}

	// Page through dave's subscriptions, then end them.
	n := 0
	for _, err := range c.Presence.AllSubscriptions(ctx, dave, presence.PageParams{PageSize: 1}) {
		if err != nil {
			return err
		}
		n++
	}
	if _, err := c.Presence.Unsubscribe(ctx, dave, []string{alice, bob}); err != nil {
		return err
	}
	page, err := c.Presence.Subscriptions(ctx, dave, presence.PageParams{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "dave had %d subscriptions, 1 a page; after unsubscribing %d\n", n, page.Total)
	return nil
}

// statusName names the documented statuses; others are the app's own.
func statusName(s presence.Status) string {
	switch s {
	case presence.Online:
		return "online"
	case presence.Offline:
		return "offline"
	}
	return "custom " + string(s)
}
