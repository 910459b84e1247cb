package main

import (
	"context"
	"errors"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

// The users module's bulk jobs.
func init() {
	addJob(&job[users.NewUser]{
		name:    "register-users",
		summary: "register accounts from a CSV or JSONL file (批量授权注册用户), resumable",
		fields:  "username, password, nickname (optional)",
		group:   easemob.GroupUsersAccountWrite,
		chunk:   catalog.UsersRegisterBatch.MaxItems("$"),
		key:     func(u users.NewUser) string { return strings.ToLower(u.Username) }, // user IDs are case-insensitive
		send: func(ctx context.Context, c *easemob.Client, chunk []users.NewUser) ([]outcome, error) {
			return fromBatch(c.Users.RegisterBatch(ctx, chunk, option.Bulk()))
		},
		check: func(ctx context.Context, c *easemob.Client, u users.NewUser) (bool, error) {
			_, err := c.Users.Get(ctx, u.Username, option.Bulk())
			if errors.Is(err, easemob.ErrNotFound) {
				return false, nil
			}
			return err == nil, err
		},
	})
}
