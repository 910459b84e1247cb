package messages_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/messages"
)

// Reactions: added once per user, listed with the earliest three users,
// paged in detail, removed by their own user only.
func TestReactions(t *testing.T) {
	c, srv := newClient(t, nil)
	users, err := srv.AddUsers(120, "r", "pw")
	require.NoError(t, err)
	addUsers(t, srv, "alice", "bob")
	id := sendOne(t, c, "alice", "bob", messages.Text("react to me"))

	r, err := c.Messages.AddReaction(ctx, "bob", id, "👍")
	require.NoError(t, err)
	assert.Equal(t, id, r.MsgID)
	assert.Equal(t, messages.Chat, r.ChatType)
	assert.Empty(t, r.GroupID)
	assert.False(t, r.Created.IsZero())
	_, err = c.Messages.AddReaction(ctx, "bob", id, "👍")
	_ = apiError(t, err, 400, "", "the user is already operation this message")
	_, err = c.Messages.AddReaction(ctx, "r0", id, "👍")
	_ = apiError(t, err, 400, "", "the user operation is illegal!")

	list, err := c.Messages.Reactions(ctx, "alice", "", []string{id})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Len(t, list[0].Reactions, 1)
	assert.Equal(t, 1, list[0].Reactions[0].Count)
	assert.False(t, list[0].Reactions[0].Reacted, "alice did not add it")
	assert.Equal(t, []string{"bob"}, list[0].Reactions[0].Users)

	// A group message: anyone may react (the emulator knows no membership).
	gres, err := c.Messages.Send(ctx, messages.ToGroups("alice", "g1"), messages.Text("vote"))
	require.NoError(t, err)
	gid := gres.Items[0].Value
	for _, u := range users {
		_, err := c.Messages.AddReaction(ctx, u, gid, "+1")
		require.NoError(t, err)
	}
	var all []string
	for u, err := range c.Messages.AllReactionUsers(ctx, "alice", gid, "+1", messages.DetailParams{Limit: 50}) {
		require.NoError(t, err)
		all = append(all, u)
	}
	assert.Equal(t, users, all, "every user, oldest first")
	assert.Equal(t, 3, srv.OpStats("reactions.GetDetail").Accepted, "50 + 50 + 20")
	glist, err := c.Messages.Reactions(ctx, "r5", "g1", []string{gid})
	require.NoError(t, err)
	assert.Equal(t, users[:3], glist[0].Reactions[0].Users, "the earliest three")
	assert.True(t, glist[0].Reactions[0].Reacted)
	assert.Equal(t, 120, glist[0].Reactions[0].Count)

	for i := 1; i < 20; i++ {
		_, err := c.Messages.AddReaction(ctx, "alice", gid, fmt.Sprint("e", i))
		require.NoError(t, err)
	}
	_, err = c.Messages.AddReaction(ctx, "alice", gid, "e20")
	_ = apiError(t, err, 400, "", "The quantity has exceeded the limit!")

	err = c.Messages.DeleteReaction(ctx, "alice", id, "👍")
	_ = apiError(t, err, 400, "", "the user operation is illegal!")
	require.NoError(t, c.Messages.DeleteReaction(ctx, "bob", id, "👍"))
	list, err = c.Messages.Reactions(ctx, "alice", "", []string{id})
	require.NoError(t, err)
	assert.Empty(t, list[0].Reactions)
}

// Above 20 message IDs the list is fetched 20 at a time.
func TestReactionsSplitAboveTheCap(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "alice", "bob")
	var ids []string
	for range 25 {
		id := sendOne(t, c, "alice", "bob", messages.Text("x"))
		_, err := c.Messages.AddReaction(ctx, "bob", id, "ok")
		require.NoError(t, err)
		ids = append(ids, id)
	}
	list, err := c.Messages.Reactions(ctx, "alice", "", ids)
	require.NoError(t, err)
	require.Len(t, list, 25)
	assert.Equal(t, ids[24], list[24].MsgID)
	assert.Equal(t, 2, srv.OpStats("reactions.ListByMessages").Accepted)
}

// Chatroom messages take no reactions; bad input spends nothing.
func TestReactionRules(t *testing.T) {
	c, srv := newClient(t, nil)
	addUsers(t, srv, "alice")
	rooms, err := c.Messages.Send(ctx, messages.ToChatrooms("alice", "room1"), messages.Text("x"))
	require.NoError(t, err)
	_, err = c.Messages.AddReaction(ctx, "alice", rooms.Items[0].Value, "ok")
	_ = apiError(t, err, 400, "", "the user operation is illegal!")
	before := srv.OpStats("reactions.Add").Received

	long := string(make([]rune, messages.MaxReactionChars+1))
	_, err = c.Messages.AddReaction(ctx, "alice", "1", long)
	invalid(t, err, "long emoji")
	_, err = c.Messages.AddReaction(ctx, "a b", "1", "ok")
	invalid(t, err, "bad user")
	_, err = c.Messages.Reactions(ctx, "alice", "", nil)
	invalid(t, err, "no IDs")
	_, err = c.Messages.ReactionDetail(ctx, "alice", "1", "ok", messages.DetailParams{Limit: 51})
	invalid(t, err, "limit")
	assert.Equal(t, before, srv.OpStats("reactions.Add").Received)
}
