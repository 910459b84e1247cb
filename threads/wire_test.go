package threads_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/threads"
)

// okDrop is the drop of a data {"status":"ok"} answer: the method checks
// it and reports success as a nil error (or each user done).
var okDrop = map[string]string{"data.status": `"ok" is checked, success is the nil error`}

// The examples name thread 1XXXX8 of group 17XXXX61 and user test4.
func TestWire(t *testing.T) {
	wiretest.Run(t, []wiretest.Case{
		{Name: "List", Op: catalog.ThreadsList,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.List(ctx, threads.ListParams{Limit: 1})
			}},
		{Name: "ListFromCursor", Op: catalog.ThreadsList,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.List(ctx, threads.ListParams{Limit: 10, Cursor: "ZGXXXXTE", Sort: threads.Asc})
			}},
		{Name: "ListByUser", Op: catalog.ThreadsListByUser,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.ListByUser(ctx, "test4", threads.ListParams{Limit: 10, Sort: threads.Desc})
			}},
		{Name: "ListByUserInGroup", Op: catalog.ThreadsListByUserInGroup,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.ListByUserInGroup(ctx, "17XXXX61", "test4", threads.ListParams{})
			}},
		{Name: "Create", Op: catalog.ThreadsCreate,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.Create(ctx, threads.NewThread{GroupID: "17XXXX61", Name: "test4", MessageID: "1920", Owner: "test4"})
			}},
		{Name: "Update", Op: catalog.ThreadsUpdate,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.Update(ctx, "1XXXX8", "test4")
			}},
		{Name: "Delete", Op: catalog.ThreadsDelete, Drops: okDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Threads.Delete(ctx, "1XXXX8")
			}},
		{Name: "Members", Op: catalog.ThreadsListMembers,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.Members(ctx, "1XXXX8", threads.MemberParams{Limit: 20})
			}},
		{Name: "AddMembers", Op: catalog.ThreadsAddMembers, Drops: okDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Threads.AddMembers(ctx, "1XXXX8", []string{"test2", "test6"})
			}},
		{Name: "RemoveMembers", Op: catalog.ThreadsRemoveMembers,
			Drops: map[string]string{"entities.result": "a false result is the user's Failed status"},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				// The example answers false for both users: both are failed.
				res, err := c.Threads.RemoveMembers(ctx, "1XXXX8", []string{"test2", "test6"})
				var be *batch.Error
				if errors.As(err, &be) && be.Failed == 2 && be.Done == 0 && len(be.Errs) == 0 {
					return res, nil
				}
				return res, fmt.Errorf("want both users failed by the server, got %w", err)
			}},
	})
}
