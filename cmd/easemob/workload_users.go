package main

import (
	"context"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/users"
)

// The users module's share of the load test: every group of the user
// account API but the batch delete, which deletes by creation order and
// would take users a test does not own.
func init() {
	addWorkloads(
		workload{group: easemob.GroupUsersAccountWrite, call: func(ctx context.Context, f *fixture, _ int) error {
			_, err := f.c.Users.Register(ctx, users.NewUser{Username: f.name("r"), Password: "loadtest"})
			return err
		}},
		workload{group: easemob.GroupUsersGet, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.Get(ctx, f.user(i))
			return err
		}},
		workload{group: easemob.GroupUsersList, call: func(ctx context.Context, f *fixture, _ int) error {
			_, err := f.c.Users.List(ctx, users.ListParams{Limit: 10})
			return err
		}},
		workload{group: easemob.GroupUsersDelete,
			setup: func(ctx context.Context, f *fixture, calls int) error {
				names, err := f.register(ctx, "d", calls)
				f.doomed = names
				return err
			},
			call: func(ctx context.Context, f *fixture, _ int) error {
				name := f.take()
				if name == "" {
					name = f.name("gone") // none left: a 404 still spends the quota
				}
				_, err := f.c.Users.Delete(ctx, name)
				return ignoreNotFound(err)
			}},
		workload{group: easemob.GroupUsersChangePassword, call: func(ctx context.Context, f *fixture, i int) error {
			return f.c.Users.ChangePassword(ctx, f.user(i), "loadtest")
		}},
		workload{group: easemob.GroupUsersGetStatus, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.Online(ctx, f.user(i))
			return err
		}},
		workload{group: easemob.GroupUsersGetStatusBatch, call: func(ctx context.Context, f *fixture, _ int) error {
			_, err := f.c.Users.OnlineBatch(ctx, f.users)
			return err
		}},
		workload{group: easemob.GroupUsersGetOfflineMsgCount, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.OfflineMessageCount(ctx, f.user(i))
			return err
		}},
		workload{group: easemob.GroupUsersGetOfflineMsgStatus, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.OfflineMessageStatus(ctx, f.user(i), "1")
			return err
		}},
		workload{group: easemob.GroupUsersDeactivate, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.Deactivate(ctx, f.user(i))
			return err
		}},
		workload{group: easemob.GroupUsersActivate, call: func(ctx context.Context, f *fixture, i int) error {
			return f.c.Users.Activate(ctx, f.user(i))
		}},
		workload{group: easemob.GroupUsersDisconnect, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.Disconnect(ctx, f.user(i))
			return err
		}},
		workload{group: easemob.GroupUsersDisconnectDevice, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.DisconnectDevice(ctx, f.user(i), "web_loadtest")
			return err
		}},
		workload{group: easemob.GroupUsersListResources, call: func(ctx context.Context, f *fixture, i int) error {
			_, err := f.c.Users.Devices(ctx, f.user(i))
			return err
		}},
	)
}
