// Command chatrooms walks through the chatrooms module: create a room,
// add members in a batch, set its announcement and custom attributes (and
// see a key another member owns refused, then forced), mute a member,
// list the room's members, and dissolve it.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, users named "example-chatrooms-*"
// and one room).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/examples/internal/exampleenv"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, names, finish, err := exampleenv.Start(ctx, cfg, "example-chatrooms-", "host", "ann", "ben", "cat")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	host, ann, ben, cat := names[0], names[1], names[2], names[3]

	id, err := c.Chatrooms.Create(ctx, chatrooms.NewChatroom{Name: "live show", Description: "Friday's stream", Owner: host, MaxUsers: 500, Members: []string{ann}})
	if err != nil {
		return err
	}
	// Unlike a group, a room counts a user already in it as added.
	added, err := c.Chatrooms.AddMembers(ctx, id, []string{ann, ben, cat})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created the room; added %d of %d in a batch\n", added.Count(batch.Done), len(added.Items))
	if _, err := c.Chatrooms.SetAnnouncement(ctx, id, "starts at 8 pm"); err != nil {
		return err
	}

	// Attributes belong to the member who set them: a call naming ann's
	// key is refused to ben as a whole, each of its keys failing with the
	// server's reason, until he forces it.
	if _, err := c.Chatrooms.SetAttributes(ctx, id, ann, map[string]string{"song": "intro"}, chatrooms.KeepOnLeave); err != nil {
		return err
	}
	attrs := map[string]string{"song": "encore", "votes": "12"}
	set, err := c.Chatrooms.SetAttributes(ctx, id, ben, attrs, chatrooms.DeleteOnLeave)
	if err != nil && !errors.As(err, new(*batch.Error)) {
		return err
	}
	for _, it := range set.Items {
		fmt.Fprintf(out, "ben sets %s: %s\n", it.Input.Key, exampleenv.Outcome(it))
	}
	if _, err := c.Chatrooms.SetAttributesForced(ctx, id, ben, attrs, chatrooms.DeleteOnLeave); err != nil {
		return err
	}
	got, err := c.Chatrooms.GetAttributes(ctx, id, []string{"song", "votes"})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "forced: song=%s votes=%s\n", got["song"], got["votes"])

	// Mute cat until lifted; the mute list says when each mute ends.
	if _, err := c.Chatrooms.MuteMembers(ctx, id, []string{cat}, chatrooms.Forever); err != nil {
		return err
	}
	mutes, err := c.Chatrooms.ListMuted(ctx, id)
	if err != nil {
		return err
	}
	for _, m := range mutes {
		fmt.Fprintf(out, "%s muted: forever %v, active %v\n", m.Username, m.Until.Forever, m.Until.Active(time.Now()))
	}

	// Every member, page after page; the owner is marked.
	n := 0
	for m, err := range c.Chatrooms.AllMembers(ctx, id, chatrooms.PageParams{Size: 2}) {
		if err != nil {
			return err
		}
		if m.Owner {
			fmt.Fprintf(out, "owner %s\n", m.Username)
		}
		n++
	}
	fmt.Fprintf(out, "%d members, 2 a page\n", n)

	// Dissolve it; a room that is gone is easemob.ErrNotFound.
	if _, err := c.Chatrooms.Delete(ctx, id); err != nil {
		return err
	}
	if _, err := c.Chatrooms.GetAnnouncement(ctx, id); !errors.Is(err, easemob.ErrNotFound) {
		return fmt.Errorf("the room should be gone: %w", err)
	}
	fmt.Fprintln(out, "dissolved; the room is not found any more")
	return nil
}
