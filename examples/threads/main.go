// Command threads walks through the threads module: start a thread on a
// group message, rename it, add and remove members in batches, list a
// user's threads in the group, and delete it.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, users named "example-threads-*" and
// one group; the app must have threads enabled).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/threads"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, names, finish, err := exampleenv.Start(ctx, cfg, "example-threads-", "alice", "bob", "carol")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	alice, bob, carol := names[0], names[1], names[2]

	// A thread hangs off a group message.
	group, err := c.Groups.Create(ctx, groups.NewGroup{Name: "release", Owner: alice, Members: []string{bob, carol}})
	if err != nil {
		return err
	}
	defer func() { _, derr := c.Groups.Delete(ctx, group); err = errors.Join(err, derr) }()
	sent, err := c.Messages.Send(ctx, messages.ToGroups(alice, group), messages.Text("v2.0 ships Friday"))
	if err != nil {
		return err
	}
	id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: group, Name: "v2.0", MessageID: sent.Items[0].Value, Owner: alice})
	if err != nil {
		return err
	}
	name, err := c.Threads.Update(ctx, id, "v2.0 release notes")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "alice started %q\n", name)

	// Members join in calls of 10; the server confirms each call whole.
	if _, err := c.Threads.AddMembers(ctx, id, []string{bob, carol}); err != nil {
		return err
	}
	removed, err := c.Threads.RemoveMembers(ctx, id, []string{carol})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "added bob and carol; removing carol: %s\n", exampleenv.Outcome(removed.Items[0]))
	for m, err := range c.Threads.AllMembers(ctx, id, threads.MemberParams{}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "member %s\n", m)
	}
	for t, err := range c.Threads.AllByUserInGroup(ctx, group, bob, threads.ListParams{}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "bob's thread in the group: %q by %s\n", t.Name, t.Owner)
	}

	// Deleting it twice: the second is easemob.ErrNotFound.
	if err := c.Threads.Delete(ctx, id); err != nil {
		return err
	}
	if err := c.Threads.Delete(ctx, id); !errors.Is(err, easemob.ErrNotFound) {
		return fmt.Errorf("the thread should be gone: %w", err)
	}
	fmt.Fprintln(out, "deleted the thread; deleting it again is not found")
	return nil
}
