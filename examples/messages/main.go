// Command messages walks through the messages module: send a text to a
// user, a custom message to many users, a group and a chatroom message,
// recall one message and then several in a batch, and read and delete a
// conversation.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, users named "example-messages-*",
// one group and one chatroom; the server must have recall and
// conversation lists enabled).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/option"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, names, finish, err := exampleenv.Start(ctx, cfg, "example-messages-", "alice", "bob", "carol")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, finish()) }()
	alice, bob, carol := names[0], names[1], names[2]

	// A chat reply should not queue behind a busy quota: MaxWait fails it
	// at once, spending nothing, when it would wait longer.
	res, err := c.Messages.Send(ctx, messages.ToUsers(alice, bob), messages.Text("hi Bob"), option.MaxWait(2*time.Second))
	if err != nil {
		return err
	}
	hi := res.Items[0].Value // the message ID, for the recall below
	fmt.Fprintf(out, "text to bob: %s\n", res.Items[0].Status)

	// One send to many users: one item per user, each its own message.
	// A send to N users costs N messages of the per-minute quota.
	order := messages.Custom("order_shipped", map[string]string{"order": "A-1001"})
	order.Ext = map[string]any{"em_ignore_notification": true} // no offline push
	if res, err = c.Messages.Send(ctx, messages.ToUsers(alice, bob, carol), order); err != nil {
		return err
	}
	fmt.Fprintf(out, "custom message to bob and carol: %d of %d done\n", res.Count(batch.Done), len(res.Items))

	// A group and a chatroom to send to; deleted before the users.
	group, err := c.Groups.Create(ctx, groups.NewGroup{Name: "example-messages", Owner: alice, Members: []string{bob, carol}})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, deleteGroup(ctx, c, group)) }()
	room, err := c.Chatrooms.Create(ctx, chatrooms.NewChatroom{Name: "example-messages", Description: "lobby", Owner: alice})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, deleteRoom(ctx, c, room)) }()

	toGroup, err := c.Messages.Send(ctx, messages.ToGroups(alice, group), messages.Text("hi all"))
	if err != nil {
		return err
	}
	// High keeps a room message from being dropped first under load.
	lobby := messages.ToChatrooms(alice, room)
	lobby.Level = messages.High
	toRoom, err := c.Messages.Send(ctx, lobby, messages.Text("welcome"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "to the group: %s, to the room: %s\n", toGroup.Items[0].Status, toRoom.Items[0].Status)

	// A message is checked before any quota is spent: too large a body is
	// an *easemob.ValidationError, and nothing goes on the wire.
	_, err = c.Messages.Send(ctx, messages.ToUsers(alice, bob), messages.Text(strings.Repeat("x", messages.MaxMessageBytes)))
	var invalid *easemob.ValidationError
	if !errors.As(err, &invalid) {
		return fmt.Errorf("a message too large should be refused: %w", err)
	}
	fmt.Fprintf(out, "too large a message is refused before sending: invalid %s\n", invalid.Field)

	// Recall one message, then several in a batch: the batch reports each,
	// and the one already recalled fails with the server's reason.
	rc, err := c.Messages.Recall(ctx, messages.RecallItem{MsgID: hi, To: bob, ChatType: messages.Chat, From: alice}, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "recalled the text to bob: %v\n", rc.OK())
	recalls, err := c.Messages.RecallBatch(ctx, []messages.RecallItem{
		{MsgID: toGroup.Items[0].Value, To: group, ChatType: messages.GroupChat, From: alice},
		{MsgID: toRoom.Items[0].Value, To: room, ChatType: messages.Chatroom, From: alice},
		{MsgID: hi, To: bob, ChatType: messages.Chat, From: alice},
	}, "")
	if err != nil && !errors.As(err, new(*batch.Error)) {
		return err // the batch failed as a whole, not item by item
	}
	for _, it := range recalls.Items {
		fmt.Fprintf(out, "recall of the %s message: %s\n", it.Input.ChatType, exampleenv.Outcome(it))
	}

	// Carol's conversation list holds the custom message from alice;
	// deleting it from her list leaves alice's and bob's alone.
	convs, err := c.Messages.Conversations(ctx, carol)
	if err != nil {
		return err
	}
	for _, cv := range convs.Conversations {
		fmt.Fprintf(out, "carol has a %s conversation with %s\n", cv.Type, cv.ID)
	}
	if err := c.Messages.DeleteConversation(ctx, carol, alice, messages.Chat, true); err != nil {
		return err
	}
	if convs, err = c.Messages.Conversations(ctx, carol); err != nil {
		return err
	}
	fmt.Fprintf(out, "after deleting it carol has %d conversations\n", len(convs.Conversations))
	return nil
}

// deleteGroup dissolves a group the example made.
func deleteGroup(ctx context.Context, c *easemob.Client, id string) error {
	_, err := c.Groups.Delete(ctx, id)
	return err
}

// deleteRoom dissolves a chatroom the example made.
func deleteRoom(ctx context.Context, c *easemob.Client, id string) error {
	_, err := c.Chatrooms.Delete(ctx, id)
	return err
}
