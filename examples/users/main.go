// Command users walks through the users module: register accounts one by
// one and in a batch, read them back, page through them, ban and unban,
// change a password, ask who is online, and clean up.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes and deletes users named "example-users-*").
// Examples of the other modules follow the same pattern: main hands run to
// exampleenv.Main, run does the calls and prints what they return, and the
// test runs it against the emulator and checks all it printed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) error {
	c, err := easemob.New(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()
	const prefix = "example-users-"

	// One account, then a batch: the batch is split into calls of 60 and
	// reports every account.
	u, err := c.Users.Register(ctx, users.NewUser{Username: prefix + "alice", Password: "s3cret", Nickname: "Alice"})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "registered %s (%s)\n", u.Username, u.Nickname)
	batch := make([]users.NewUser, 3)
	for i := range batch {
		batch[i] = users.NewUser{Username: fmt.Sprintf("%sbot%d", prefix, i), Password: "s3cret"}
	}
	res, err := c.Users.RegisterBatch(ctx, batch, option.Bulk())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "registered %d in a batch\n", len(res.Done()))

	// Read back, and page through every user.
	if u, err = c.Users.Get(ctx, prefix+"alice"); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is activated: %v\n", u.Username, u.Activated)
	n := 0
	for _, err := range c.Users.All(ctx, users.ListParams{Limit: 2}) {
		if err != nil {
			return err
		}
		n++
	}
	fmt.Fprintf(out, "listed %d users, 2 a page\n", n)

	// Ban and unban; change a password.
	if u, err = c.Users.Deactivate(ctx, prefix+"bot0"); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s banned: activated %v\n", u.Username, u.Activated)
	if err := c.Users.Activate(ctx, prefix+"bot0"); err != nil {
		return err
	}
	if err := c.Users.ChangePassword(ctx, prefix+"alice", "n3w-s3cret"); err != nil {
		return err
	}
	fmt.Fprintln(out, "unbanned bot0 and changed alice's password")

	// Who is online: one call for many users, one outcome each.
	names := []string{prefix + "alice", prefix + "bot1"}
	online, err := c.Users.OnlineBatch(ctx, names)
	if err != nil {
		return err
	}
	for _, it := range online.Items {
		fmt.Fprintf(out, "%s online: %v\n", it.Input, it.Value)
	}

	// Clean up; a user that is gone is easemob.ErrNotFound.
	for _, name := range append(names, prefix+"bot0", prefix+"bot2") {
		if _, err := c.Users.Delete(ctx, name); err != nil {
			return err
		}
	}
	if _, err := c.Users.Get(ctx, prefix+"alice"); !errors.Is(err, easemob.ErrNotFound) {
		return fmt.Errorf("alice should be gone: %w", err)
	}
	fmt.Fprintln(out, "deleted them; alice is not found any more")
	return nil
}
