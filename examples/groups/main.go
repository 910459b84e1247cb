// Command groups walks through the groups module: create a group, add
// members in a batch and read each name's outcome, list the members, mute
// one, hand the group to another owner, and dissolve it.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, users named "example-groups-*" and
// one group).
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
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/option"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, names, finish, err := exampleenv.Start(ctx, cfg, "example-groups-", "alice", "bob", "carol", "dave")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	alice, bob, carol, dave := names[0], names[1], names[2], names[3]

	id, err := c.Groups.Create(ctx, groups.NewGroup{Name: "book club", Public: false, MaxUsers: 50, Owner: alice, Members: []string{bob}})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "created a private group of alice and bob")

	// A batch add reports every name: bob is in already, so the server
	// leaves him out of its new members and he fails with NotAdded. An
	// import in the background waits in the bulk lane, behind calls a
	// user is waiting for.
	added, err := c.Groups.AddMembers(ctx, id, []string{bob, carol, dave}, option.Bulk())
	if err != nil && !errors.As(err, new(*batch.Error)) {
		return err // the whole batch failed (the group is full, a user does not exist)
	}
	for _, it := range added.Items {
		fmt.Fprintf(out, "add %s: %s\n", it.Input, exampleenv.Outcome(it))
	}

	// Every member, page after page (the owner comes first).
	for m, err := range c.Groups.AllMembers(ctx, id, groups.MembersParams{PageSize: 2}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "member %s (%s)\n", m.Username, m.Role)
	}

	// Mute dave for ten minutes; the batch result carries each mute.
	muted, err := c.Groups.MuteMembers(ctx, id, []string{dave}, 10*time.Minute)
	if err != nil {
		return err
	}
	for _, m := range muted.Done() {
		fmt.Fprintf(out, "muted %s for %s\n", m.Username, time.Until(m.Expire).Round(time.Minute))
	}

	// Alice hands the group to carol and stays a member.
	if _, err := c.Groups.TransferOwner(ctx, id, carol); err != nil {
		return err
	}
	details, err := c.Groups.Get(ctx, []string{id})
	if err != nil {
		return err
	}
	g := details.Items[0].Value
	fmt.Fprintf(out, "owner now %s, %d members\n", g.Owner, g.MemberCount)

	// Dissolve it: what is gone answers 404, easemob.ErrNotFound, and the
	// server's own words are in an *easemob.Error.
	if _, err := c.Groups.Delete(ctx, id); err != nil {
		return err
	}
	_, err = c.Groups.Members(ctx, id, groups.MembersParams{})
	var apiErr *easemob.Error
	if !errors.Is(err, easemob.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("the group should be gone: %w", err)
	}
	fmt.Fprintf(out, "dissolved; listing its members now answers %d %s\n", apiErr.StatusCode, apiErr.Code)
	return nil
}
