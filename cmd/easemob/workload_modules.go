package main

import (
	"context"
	"errors"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/messages"
)

// The other modules' share of the load test: sends to many recipients
// (the message side counts 50 a call), group and chatroom sends and
// reads, presence, and the per-user conversation delete (5 a minute per
// user and 100 a second in all).
func init() {
	addWorkloads(
		workload{group: easemob.GroupMessagesSendUsers, messages: 50, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Messages.Send(ctx, messages.ToUsers(f.user(i), f.users[:50]...), messages.Text("loadtest"))
			return err
		}},
		workload{group: easemob.GroupMessagesSendGroups,
			setup: func(ctx context.Context, f *fixture, _ int) error { return f.makeGroup(ctx) },
			call: func(ctx context.Context, f *fixture, _ int) error {
				_, err := f.c.Messages.Send(ctx, messages.ToGroups(f.users[0], f.group), messages.Text("loadtest"))
				return err
			}},
		workload{group: easemob.GroupMessagesSendChatrooms,
			setup: func(ctx context.Context, f *fixture, _ int) error { return f.makeRoom(ctx) },
			call: func(ctx context.Context, f *fixture, _ int) error {
				_, err := f.c.Messages.Send(ctx, messages.ToChatrooms(f.users[0], f.room), messages.Text("loadtest"))
				return err
			}},
		workload{group: easemob.GroupGroupsGet,
			setup: func(ctx context.Context, f *fixture, _ int) error { return f.makeGroup(ctx) },
			call: func(ctx context.Context, f *fixture, _ int) error {
				_, err := f.c.Groups.Get(ctx, []string{f.group})
				return err
			}},
		workload{group: easemob.GroupChatroomsGet,
			setup: func(ctx context.Context, f *fixture, _ int) error { return f.makeRoom(ctx) },
			call: func(ctx context.Context, f *fixture, _ int) error {
				_, err := f.c.Chatrooms.Get(ctx, []string{f.room})
				return err
			}},
		workload{group: easemob.GroupPresenceGetBatch, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Presence.Statuses(ctx, f.user(i), f.users[:10])
			return answered(err) // users with no status set are left out of the answer
		}},
		workload{group: easemob.GroupConversationsDeleteForUser, scopes: poolSize, call: func(ctx context.Context, f *fixture, i int) error {
			return ignoreNotFound(f.c.Messages.DeleteConversation(ctx, f.user(i), f.user(i+1), messages.Chat, false))
		}},
	)
}

// answered drops a batch error whose calls the server all answered: its
// items were refused one by one, which spent the quota as a success does.
func answered(err error) error {
	var be *batch.Error
	if errors.As(err, &be) && len(be.Errs) == 0 {
		return nil
	}
	return err
}

// makeGroup creates the group the group workloads use, once.
func (f *fixture) makeGroup(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.group != "" {
		return nil
	}
	id, err := f.c.Groups.Create(ctx, groups.NewGroup{Name: f.name("g"), Owner: f.users[0], Members: f.users[1:10]})
	f.group = id
	return err
}

// makeRoom creates the chatroom the chatroom workloads use, once.
func (f *fixture) makeRoom(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.room != "" {
		return nil
	}
	id, err := f.c.Chatrooms.Create(ctx, chatrooms.NewChatroom{Name: f.name("r"), Description: "loadtest", Owner: f.users[0], Members: f.users[1:10]})
	f.room = id
	return err
}
