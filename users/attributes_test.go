package users_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

var exampleAttributes = users.Attributes{"ext": "ext", "nickname": "nickname", "avatarurl": "https://www.easemob.com/avatar.png"}

var attributeWire = []wiretest.Case{
	{Name: "SetAttributes", Op: catalog.MetadataSet,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.SetAttributes(ctx, "user1", exampleAttributes)
		}},
	{Name: "Attributes", Op: catalog.MetadataGet,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Attributes(ctx, "user1") }},
	{Name: "AttributesBatch", Op: catalog.MetadataGetBatch,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.AttributesBatch(ctx, []string{"user1", "user2", "user3"}, []string{"avatarurl", "ext", "nickname"})
		}},
	{Name: "DeleteAttributes", Op: catalog.MetadataDelete,
		Drops: map[string]string{"data": "DeleteAttributes returns only an error; true is its nil"},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return nil, c.Users.DeleteAttributes(ctx, "user1")
		}},
	{Name: "AttributesCapacity", Op: catalog.MetadataGetCapacity,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.AttributesCapacity(ctx) }},
}

func TestAttributes(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	register(t, c, "alice", "bob")

	set, err := c.Users.SetAttributes(ctx, "alice", users.Attributes{"nickname": "Al", "ext": "x=1&y=2"})
	require.NoError(t, err)
	assert.Equal(t, users.Attributes{"nickname": "Al", "ext": "x=1&y=2"}, set, "form-encoded both ways")
	set, err = c.Users.SetAttributes(ctx, "alice", users.Attributes{"gender": "1"})
	require.NoError(t, err)
	assert.Equal(t, users.Attributes{"gender": "1"}, set, "the answer lists the keys just set")
	got, err := c.Users.Attributes(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, users.Attributes{"nickname": "Al", "ext": "x=1&y=2", "gender": "1"}, got, "a set merges")

	none, err := c.Users.Attributes(ctx, "ghost")
	require.NoError(t, err, "an unknown user has no attributes, no 404")
	assert.Empty(t, none)

	size, err := c.Users.AttributesCapacity(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(got.Size()), size)

	res, err := c.Users.AttributesBatch(ctx, []string{"alice", "bob", "ghost"}, []string{"nickname", "gender", "mail"})
	require.NoError(t, err, "users without the keys are done, with none")
	assert.Equal(t, []users.Attributes{{"nickname": "Al", "gender": "1"}, {}, {}}, res.Done())

	require.NoError(t, c.Users.DeleteAttributes(ctx, "alice"))
	got, err = c.Users.Attributes(ctx, "alice")
	require.NoError(t, err)
	assert.Empty(t, got)
	size, err = c.Users.AttributesCapacity(ctx)
	require.NoError(t, err)
	assert.Zero(t, size)
	require.NoError(t, c.Users.DeleteAttributes(ctx, "alice"), "true when there was nothing")

	assert.Equal(t, 2, srv.Stats(easemob.GroupMetadataSet).Received)
}

func TestAttributesBatchSplitsAt100(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names := make([]string, 150)
	for i := range names {
		names[i] = fmt.Sprintf("m%03d", i)
	}
	register(t, c, "m149")
	_, err := c.Users.SetAttributes(ctx, "m149", users.Attributes{"sign": "last"})
	require.NoError(t, err)
	res, err := c.Users.AttributesBatch(ctx, names, []string{"sign"})
	require.NoError(t, err)
	require.Len(t, res.Items, 150)
	assert.Equal(t, users.Attributes{"sign": "last"}, res.Items[149].Value)
	assert.Equal(t, 2, srv.Stats(easemob.GroupMetadataGetBatch).Received)
}

// The SDK holds to the documented sizes; the server to the user's total.
func TestAttributeLimits(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	register(t, c, "alice")
	for name, a := range map[string]users.Attributes{
		"gender":   {"gender": "3"},
		"nickname": {"nickname": strings.Repeat("n", 65)},
		"phone":    {"phone": strings.Repeat("1", 33)},
		"total":    {"ext": strings.Repeat("e", users.MaxAttributesBytes)},
		"none":     {},
	} {
		_, err := c.Users.SetAttributes(ctx, "alice", a)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	_, err := c.Users.AttributesBatch(ctx, []string{"alice"}, nil)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "no keys")
	assert.Zero(t, srv.Stats(easemob.GroupMetadataSet).Received)

	_, err = c.Users.SetAttributes(ctx, "alice", users.Attributes{"ext": strings.Repeat("a", 1500)})
	require.NoError(t, err)
	_, err = c.Users.SetAttributes(ctx, "alice", users.Attributes{"sign": strings.Repeat("b", 200), "avatarurl": strings.Repeat("c", 256),
		"birth": strings.Repeat("d", 64), "mail": strings.Repeat("e", 64)})
	assert.ErrorIs(t, err, easemob.ErrForbidden)
	assert.Equal(t, "size of metadata for this single user exceeds the user defined limit, 2048Bytes", apiCode(t, err, 403, "FORBIDDEN"))
	got, err := c.Users.Attributes(ctx, "alice")
	require.NoError(t, err)
	assert.Len(t, got, 1, "a refused set changes nothing")
}
