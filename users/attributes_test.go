package users_test

import (
	"context"

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
