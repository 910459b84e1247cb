package chatrooms_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
)

func attrs(prefix string, n int) map[string]string {
	out := map[string]string{}
	for i := range n {
		out[fmt.Sprintf("%s%02d", prefix, i)] = fmt.Sprintf("v%d", i)
	}
	return out
}

// More keys than a call takes are split, 10 a call, and reported by key.
func TestAttributesSplitAndReportEachKey(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a")
	res, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "a", attrs("k", 25), "")
	require.NoError(t, err)
	require.Len(t, res.Items, 25)
	assert.Equal(t, "k00", res.Items[0].Input.Key, "key order")
	assert.Equal(t, 3, e.srv.OpStats("chatrooms.SetAttributes").Received)

	all, err := e.c.Chatrooms.GetAttributes(e.ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, attrs("k", 25), all)
	some, err := e.c.Chatrooms.GetAttributes(e.ctx, id, []string{"k01", "k02", "nope"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"k01": "v1", "k02": "v2"}, some)

	del, err := e.c.Chatrooms.DeleteAttributes(e.ctx, id, "a", append(names("zz", 1), "k00", "k01"))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, map[string]string{"zz0": "failed: properties key 'zz0' does not exist", "k00": "done", "k01": "done"}, reasons(del))
	keys := make([]string, 0, 23)
	for k := range attrs("k", 25) {
		keys = append(keys, k)
	}
	_, err = e.c.Chatrooms.DeleteAttributesForced(e.ctx, id, "o", keys)
	require.ErrorAs(t, err, &be, "k00 and k01 are gone already")
	assert.Equal(t, 23, be.Done)
	assert.Equal(t, 3, e.srv.OpStats("chatrooms.DeleteAttributesForced").Received, "25 keys, 10 a call")
	all, err = e.c.Chatrooms.GetAttributes(e.ctx, id, nil)
	require.NoError(t, err)
	assert.Empty(t, all)
}

// A key belongs to the member who set it: others overwrite or delete it
// only by force.
func TestAttributeOwnership(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a", "b")
	_, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "a", map[string]string{"seat": "1"}, "")
	require.NoError(t, err)

	res, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "b", map[string]string{"seat": "2", "mine": "x"}, "")
	require.Error(t, err)
	for _, it := range res.Items {
		assert.Equal(t, batch.Failed, it.Status)
		assert.Equal(t, "others are not allowed to be set", it.Reason)
		_ = apiError(t, it.Err, 400, "")
	}
	del, err := e.c.Chatrooms.DeleteAttributes(e.ctx, id, "b", []string{"seat"})
	require.Error(t, err)
	assert.Equal(t, "failed: others are not allowed to be deleted", reasons(del)["seat"])

	_, err = e.c.Chatrooms.SetAttributesForced(e.ctx, id, "b", map[string]string{"seat": "2"}, chatrooms.KeepOnLeave)
	require.NoError(t, err, "forced overwrite")
	got, err := e.c.Chatrooms.GetAttributes(e.ctx, id, []string{"seat"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"seat": "2"}, got)
	_, err = e.c.Chatrooms.SetAttributes(e.ctx, id, "a", map[string]string{"seat": "3"}, "")
	require.Error(t, err, "b owns it now")
	_, err = e.c.Chatrooms.DeleteAttributes(e.ctx, id, "b", []string{"seat"})
	require.NoError(t, err)
}

// Attributes set to go on leave go with their member; kept ones stay.
func TestAttributesAutoDelete(t *testing.T) {
	e := newEnv(t)
	id := e.room("o", "a")
	_, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "a", map[string]string{"gone": "1"}, chatrooms.DeleteOnLeave)
	require.NoError(t, err)
	_, err = e.c.Chatrooms.SetAttributes(e.ctx, id, "a", map[string]string{"default": "1"}, "")
	require.NoError(t, err)
	_, err = e.c.Chatrooms.SetAttributes(e.ctx, id, "a", map[string]string{"kept": "1"}, chatrooms.KeepOnLeave)
	require.NoError(t, err)
	_, err = e.c.Chatrooms.RemoveMember(e.ctx, id, "a")
	require.NoError(t, err)
	got, err := e.c.Chatrooms.GetAttributes(e.ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"kept": "1"}, got)
}

// Only members write attributes: the server answers 401, which also ends
// the batch (every later call would meet it).
func TestAttributesNeedAMember(t *testing.T) {
	e := newEnv(t)
	id := e.room("o")
	e.users("out")
	res, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "out", attrs("k", 15), "", optConcurrency1)
	require.Error(t, err)
	assert.Equal(t, "user is not in chatroom", apiError(t, err, 401, "MetadataException").Description)
	assert.Equal(t, 10, res.Count(batch.Failed))
	assert.Equal(t, 5, res.Count(batch.NotSent))
	_, err = e.c.Chatrooms.DeleteAttributes(e.ctx, id, "out", []string{"k"})
	_ = apiError(t, err, 401, "MetadataException")
	_, err = e.c.Chatrooms.GetAttributes(e.ctx, "404", nil)
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}

// A room holds at most 100 attributes; past that each new key is refused.
func TestAttributeRoomLimit(t *testing.T) {
	e := newEnv(t)
	id := e.room("o")
	_, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "o", attrs("a", 100), "")
	require.NoError(t, err)
	res, err := e.c.Chatrooms.SetAttributes(e.ctx, id, "o", map[string]string{"a00": "new", "b": "x"}, "")
	require.Error(t, err)
	assert.Equal(t, map[chatrooms.Attribute]string{
		{Key: "a00", Value: "new"}: "done",
		{Key: "b", Value: "x"}:     "failed: chatroom properties count is exceeding maximum limit 100",
	}, reasons(res))
}
