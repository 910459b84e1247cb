package users_test

import (
	"context"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

var tokenUserDrops = map[string]string{"user.type": `always "user"`}

var tokenWire = []wiretest.Case{
	{Name: "Token", Op: catalog.AuthGetUserTokenPassword, Drops: tokenUserDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Token(ctx, "c", "123", 0) }},
	{Name: "InheritToken", Op: catalog.AuthGetUserTokenInherit, Drops: tokenUserDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.InheritToken(ctx, "test2333", 0, true)
		}},
	{Name: "RegisterOpen", Op: catalog.UsersRegisterOpen, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.RegisterOpen(ctx, users.NewUser{Username: "user1", Password: "123"})
		}},
}
