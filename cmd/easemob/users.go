package main

import (
	"context"
	"errors"
	"flag"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/users"
)

// The users module: one command per everyday call of Client.Users.
func init() {
	addModule("users",
		apiCommand{name: "register", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "register one user (授权注册单个用户)",
			setup: func(fs *flag.FlagSet) apiCall {
				nickname := fs.String("nickname", "", "push display name")
				return withPassword(fs, "the new user's password", func(ctx context.Context, c *easemob.Client, x *call, pw string) (any, error) {
					return c.Users.Register(ctx, users.NewUser{Username: x.args[0], Password: pw, Nickname: *nickname})
				})
			}},
		apiCommand{name: "get", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "show one user (获取单个用户详情); exit code 4 when there is none",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.Get(ctx, x.args[0])
			})},
		apiCommand{name: "list", maxArgs: 0,
			summary: "list users, oldest first: one page, or --all (批量获取用户)",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 10, "page size, 1 to 100")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := users.ListParams{Limit: *pf.limit, Cursor: *pf.cursor}
					return listed(*pf.all, func() (*users.Page, error) { return c.Users.List(ctx, p) },
						func(pg *users.Page) ([]users.User, string) { return pg.Users, pg.Cursor }, c.Users.All(ctx, p))
				}
			}},
		apiCommand{name: "delete", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "delete one user and the groups and chatrooms it owns (删除单个用户)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.Delete(ctx, x.args[0])
			})},
		apiCommand{name: "delete-oldest", maxArgs: 0,
			summary: "delete the --limit earliest-created users (批量删除用户): for test apps",
			setup: func(fs *flag.FlagSet) apiCall {
				limit := fs.Int("limit", 0, "how many users to delete, 1 to 100 (required)")
				cursor := fs.String("cursor", "", "start after a previous call's cursor")
				yes := fs.Bool("yes", false, "confirm: the API deletes by creation order, not by name")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					if !*yes || *limit <= 0 {
						return nil, usagef("delete-oldest needs --limit N and --yes")
					}
					pg, err := c.Users.DeleteBatch(ctx, users.ListParams{Limit: *limit, Cursor: *cursor})
					if err != nil {
						return nil, err
					}
					return page[users.User]{Items: pg.Users, Cursor: pg.Cursor}, nil
				}
			}},
		apiCommand{name: "password", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "set a user's password (修改用户密码); its tokens stop working",
			setup: func(fs *flag.FlagSet) apiCall {
				return withPassword(fs, "the new password", func(ctx context.Context, c *easemob.Client, x *call, pw string) (any, error) {
					return nil, c.Users.ChangePassword(ctx, x.args[0], pw)
				})
			}},
		apiCommand{name: "deactivate", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "ban a user (账号封禁): logged out, unable to log in until activated",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.Deactivate(ctx, x.args[0])
			})},
		apiCommand{name: "activate", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "lift a ban (账号解禁)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return nil, c.Users.Activate(ctx, x.args[0])
			})},
		apiCommand{name: "online", args: "USERNAME...", minArgs: 1, maxArgs: -1,
			summary: "whether users are logged in (获取用户在线状态; 批量获取 for several)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				if len(x.args) == 1 {
					on, err := c.Users.Online(ctx, x.args[0])
					return []onlineState{{Username: x.args[0], Online: on}}, err
				}
				res, err := c.Users.OnlineBatch(ctx, x.args)
				if res == nil {
					return nil, err
				}
				out := make([]onlineState, len(res.Items))
				for i, it := range res.Items {
					out[i] = onlineState{Username: it.Input, Online: it.Value, Status: it.Status.String(), Reason: it.Reason}
				}
				return out, quiet(err, res.Count(batch.Done) > 0)
			})},
		apiCommand{name: "offline-count", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "how many messages wait for a user while offline (获取用户离线消息数量)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				n, err := c.Users.OfflineMessageCount(ctx, x.args[0])
				return offlineCount{Username: x.args[0], Count: n}, err
			})},
		apiCommand{name: "offline-status", args: "USERNAME MSG_ID", minArgs: 2, maxArgs: 2,
			summary: "whether an offline message reached the user (获取指定离线消息的投递状态)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				d, err := c.Users.OfflineMessageStatus(ctx, x.args[0], x.args[1])
				return delivery{Username: x.args[0], MessageID: x.args[1], Status: string(d)}, err
			})},
		apiCommand{name: "disconnect", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "log a user out of every device, or of --device (强制用户下线)",
			setup: func(fs *flag.FlagSet) apiCall {
				device := fs.String("device", "", "only this device resource, e.g. android_123423453246")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					var ok bool
					var err error
					if *device != "" {
						ok, err = c.Users.DisconnectDevice(ctx, x.args[0], *device)
					} else {
						ok, err = c.Users.Disconnect(ctx, x.args[0])
					}
					return disconnected{Username: x.args[0], Device: *device, Result: ok}, err
				}
			}},
		apiCommand{name: "devices", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "the devices a user is logged in on (获取指定账号的在线登录设备列表)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.Devices(ctx, x.args[0])
			})},
	)
}

// withPassword declares --password and --password-stdin and passes the
// password to do.
func withPassword(fs *flag.FlagSet, usage string, do func(context.Context, *easemob.Client, *call, string) (any, error)) apiCall {
	password, stdin := secretFlags(fs, "password", usage)
	return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
		pw, err := x.secretArg("password", *password, *stdin)
		if err != nil {
			return nil, err
		}
		return do(ctx, c, x, pw)
	}
}

type onlineState struct {
	Username string `json:"username"`
	Online   bool   `json:"online"`
	Status   string `json:"status,omitempty"` // for several: done, failed, ...
	Reason   string `json:"reason,omitempty"`
}

type offlineCount struct {
	Username string `json:"username"`
	Count    int    `json:"offline_messages"`
}

type delivery struct {
	Username  string `json:"username"`
	MessageID string `json:"msg_id"`
	Status    string `json:"status"`
}

type disconnected struct {
	Username string `json:"username"`
	Device   string `json:"device,omitempty"`
	Result   bool   `json:"result"`
}

// quiet drops the error of a batch that reported every item, when some
// were done: the per-item table says what failed. A batch with nothing
// done keeps its error, so the exit code says so.
func quiet(err error, someDone bool) error {
	if someDone {
		if be := (*batch.Error)(nil); errors.As(err, &be) {
			return nil
		}
	}
	return err
}
