package main

import (
	"context"
	"flag"
	"iter"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/groups"
)

// The groups module: one command per everyday call of Client.Groups.
func init() {
	addModule("groups",
		apiCommand{name: "create", args: "OWNER", minArgs: 1, maxArgs: 1,
			summary: "create a group owned by OWNER and print its ID (创建群组)",
			setup: func(fs *flag.FlagSet) apiCall {
				var g groups.NewGroup
				fs.StringVar(&g.Name, "name", "", "group name")
				fs.StringVar(&g.Description, "description", "", "description")
				fs.StringVar(&g.ID, "id", "", "custom group ID (a server feature that must be enabled)")
				fs.BoolVar(&g.Public, "public", false, "a public group (found and applied to); default private")
				fs.IntVar(&g.MaxUsers, "max-users", 0, "member bound, owner included (0: the server's 200)")
				fs.BoolVar(&g.MembersOnly, "members-only", false, "joining needs an owner's or admin's approval")
				fs.BoolVar(&g.AllowInvites, "allow-invites", false, "members may invite")
				fs.StringVar(&g.Custom, "custom", "", "custom extension text")
				members := fs.String("members", "", "other members, comma-separated")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					g.Owner, g.Members = x.args[0], splitList(*members)
					id, err := c.Groups.Create(ctx, g)
					return created{ID: id}, err
				}
			}},
		apiCommand{name: "get", args: "GROUP_ID", minArgs: 1, maxArgs: 1,
			summary: "show one group with its members (获取群组详情); exit code 4 when there is none",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return firstDone(c.Groups.Get(ctx, x.args))
			})},
		apiCommand{name: "list", maxArgs: 0,
			summary: "list the app's groups, newest first: one page, or --all (分页获取 App 中的群组)",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 10, "page size, 1 to 1000")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := groups.ListParams{Limit: *pf.limit, Cursor: *pf.cursor}
					return listed(*pf.all, func() (*groups.Page, error) { return c.Groups.List(ctx, p) },
						func(pg *groups.Page) ([]groups.Group, string) { return pg.Groups, pg.Cursor },
						c.Groups.All(ctx, p))
				}
			}},
		apiCommand{name: "joined", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "the groups a user is in: one page, or --all (获取单个用户加入的所有群组)",
			setup: numberedList(numbered{page: 0, limit: 5}, 20,
				func(ctx context.Context, c *easemob.Client, x *call, p numbered) ([]groups.JoinedGroup, error) {
					res, err := c.Groups.ListJoined(ctx, x.args[0], groups.JoinedParams{PageNum: p.page, PageSize: p.limit})
					if err != nil {
						return nil, err
					}
					return res.Groups, nil
				},
				func(ctx context.Context, c *easemob.Client, x *call, p numbered) iter.Seq2[groups.JoinedGroup, error] {
					return c.Groups.AllJoined(ctx, x.args[0], groups.JoinedParams{PageNum: p.page, PageSize: p.limit})
				})},
		apiCommand{name: "update", args: "GROUP_ID", minArgs: 1, maxArgs: 1,
			summary: "change a group's settings, only those given (修改群组信息)",
			help:    "Prints, per setting sent (by its wire name), whether the server changed it.",
			setup: func(fs *flag.FlagSet) apiCall {
				name := fs.String("name", "", "new name")
				description := fs.String("description", "", "new description")
				avatar := fs.String("avatar", "", "new avatar URL")
				custom := fs.String("custom", "", "new custom extension text")
				maxUsers := fs.Int("max-users", 0, "new member bound, owner included")
				public := fs.Bool("public", false, "public (true) or private (false)")
				membersOnly := fs.Bool("members-only", false, "joining needs approval")
				allowInvites := fs.Bool("allow-invites", false, "members may invite")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					set := givenFlags(fs)
					ch := groups.Changes{
						Name: ifGiven(set, "name", name), Description: ifGiven(set, "description", description),
						Avatar: ifGiven(set, "avatar", avatar), Custom: ifGiven(set, "custom", custom),
						MaxUsers: ifGiven(set, "max-users", maxUsers), Public: ifGiven(set, "public", public),
						MembersOnly: ifGiven(set, "members-only", membersOnly), AllowInvites: ifGiven(set, "allow-invites", allowInvites),
					}
					if ch == (groups.Changes{}) {
						return nil, usagef("groups update: give at least one setting to change (see --help)")
					}
					return c.Groups.Update(ctx, x.args[0], ch)
				}
			}},
		apiCommand{name: "delete", args: "GROUP_ID", minArgs: 1, maxArgs: 1,
			summary: "dissolve a group, its threads with it (解散群组)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				ok, err := c.Groups.Delete(ctx, x.args[0])
				return okResult{ID: x.args[0], Result: ok}, err
			})},
		apiCommand{name: "transfer", args: "GROUP_ID NEW_OWNER", minArgs: 2, maxArgs: 2,
			summary: "make a member the owner; the old owner stays a member (转让群组)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				ok, err := c.Groups.TransferOwner(ctx, x.args[0], x.args[1])
				return okResult{ID: x.args[0], Result: ok}, err
			})},
		apiCommand{name: "members", args: "GROUP_ID", minArgs: 1, maxArgs: 1,
			summary: "a group's members, owner first: one page, or --all (分页获取群成员列表)",
			setup: func(fs *flag.FlagSet) apiCall {
				joined := fs.Bool("joined-time", false, "show when each member joined")
				params := func(p numbered) groups.MembersParams {
					return groups.MembersParams{PageNum: p.page, PageSize: p.limit, JoinedTime: *joined}
				}
				return numberedList(numbered{page: 1, limit: 100}, 1000,
					func(ctx context.Context, c *easemob.Client, x *call, p numbered) ([]groups.Member, error) {
						return c.Groups.Members(ctx, x.args[0], params(p))
					},
					func(ctx context.Context, c *easemob.Client, x *call, p numbered) iter.Seq2[groups.Member, error] {
						return c.Groups.AllMembers(ctx, x.args[0], params(p))
					})(fs)
			}},
		namesCommand("add-members", "add users to a group (批量添加群组成员); users already in are reported not added",
			func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error) {
				return perNames(c.Groups.AddMembers(ctx, id, names))
			}),
		namesCommand("remove-members", "remove users from a group and its threads (批量移除群组成员)",
			func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error) {
				return perNames(c.Groups.RemoveMembers(ctx, id, names))
			}),
		apiCommand{name: "is-member", args: "GROUP_ID USERNAME", minArgs: 2, maxArgs: 2,
			summary: "whether a user is in a group (查看指定用户是否已加入群组)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				in, err := c.Groups.IsMember(ctx, x.args[0], x.args[1])
				return membership{ID: x.args[0], Username: x.args[1], Member: in}, err
			})},
		idCommand("admins", "GROUP_ID", "a group's admins (获取群管理员列表)",
			func(ctx context.Context, c *easemob.Client, id string) (any, error) {
				return c.Groups.Admins(ctx, id)
			}),
		idUserCommand("add-admin", "make a member an admin, at most 99 a group (添加群管理员)", func(ctx context.Context, c *easemob.Client, id, user string) (bool, error) {
			return c.Groups.AddAdmin(ctx, id, user)
		}),
		idUserCommand("remove-admin", "make an admin a plain member again (移除群管理员)", func(ctx context.Context, c *easemob.Client, id, user string) (bool, error) {
			return c.Groups.RemoveAdmin(ctx, id, user)
		}),
		idCommand("muted", "GROUP_ID", "a group's muted members and when each mute ends (获取禁言列表)",
			func(ctx context.Context, c *easemob.Client, id string) (any, error) {
				return c.Groups.Muted(ctx, id)
			}),
		muteCommand("mute members for --duration, or for good (禁言指定群成员)", groups.MuteForever,
			func(ctx context.Context, c *easemob.Client, id string, names []string, d time.Duration) (any, error) {
				return perNames(c.Groups.MuteMembers(ctx, id, names, d))
			}),
		namesCommand("unmute", "lift members' mutes (解除成员禁言)",
			func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error) {
				return perNames(c.Groups.UnmuteMembers(ctx, id, names))
			}),
		idCommand("mute-all", "GROUP_ID", "mute the whole group: only allowlisted members may speak (禁言全体群成员)",
			func(ctx context.Context, c *easemob.Client, id string) (any, error) {
				return nil, c.Groups.MuteAll(ctx, id)
			}),
		idCommand("unmute-all", "GROUP_ID", "lift the whole group's mute (解除全员禁言)",
			func(ctx context.Context, c *easemob.Client, id string) (any, error) {
				return nil, c.Groups.UnmuteAll(ctx, id)
			}),
		idCommand("blocked", "GROUP_ID", "a group's blocklist (查询群组黑名单)",
			func(ctx context.Context, c *easemob.Client, id string) (any, error) {
				return c.Groups.Blocked(ctx, id)
			}),
		namesCommand("block", "put members on the blocklist: they leave and cannot rejoin (批量添加用户至群组黑名单)",
			func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error) {
				return perNames(c.Groups.BlockMembers(ctx, id, names))
			}),
		namesCommand("unblock", "take users off the blocklist; they do not rejoin (从群组黑名单批量移除用户)",
			func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error) {
				return perNames(c.Groups.UnblockMembers(ctx, id, names))
			}),
	)
}

// created is the ID of what a create made.
type created struct {
	ID string `json:"id"`
}

// okResult is the server's success flag of a call on one group or room.
type okResult struct {
	ID     string `json:"id"`
	Result bool   `json:"result"`
}

// userResult is the server's success flag of a call about one member.
type userResult struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Result   bool   `json:"result"`
}

// membership is whether a user is in a group.
type membership struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Member   bool   `json:"member"`
}

// firstDone is the value of the one item of a batch call, or its error (a
// 404 for a group or room that does not exist).
func firstDone[Out any](res *batch.Result[string, Out], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return res.Items[0].Value, nil
}

// namesCommand is a command "NAME ID USERNAME..." of a batch call on the
// members of one group or room.
func namesCommand(name, summary string, do func(ctx context.Context, c *easemob.Client, id string, names []string) (any, error)) apiCommand {
	return apiCommand{name: name, args: "ID USERNAME...", minArgs: 2, maxArgs: -1, summary: summary,
		help: "Prints one row per user: done, or failed with the server's reason. The exit code is 0\nwhen some were done.",
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			return do(ctx, c, x.args[0], x.args[1:])
		})}
}

// idUserCommand is a command "NAME ID USERNAME" of a call about one member
// that answers a success flag.
func idUserCommand(name, summary string, do func(ctx context.Context, c *easemob.Client, id, user string) (bool, error)) apiCommand {
	return apiCommand{name: name, args: "ID USERNAME", minArgs: 2, maxArgs: 2, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			ok, err := do(ctx, c, x.args[0], x.args[1])
			return userResult{ID: x.args[0], Username: x.args[1], Result: ok}, err
		})}
}

// idCommand is a command "NAME ID" of a call on one group or room.
func idCommand(name, args, summary string, do func(ctx context.Context, c *easemob.Client, id string) (any, error)) apiCommand {
	return apiCommand{name: name, args: args, minArgs: 1, maxArgs: 1, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			return do(ctx, c, x.args[0])
		})}
}

// muteCommand is "mute ID USERNAME..." with --duration; without it the
// mute is for good (forever, the SDK's value for that).
func muteCommand(summary string, forever time.Duration, do func(ctx context.Context, c *easemob.Client, id string, names []string, d time.Duration) (any, error)) apiCommand {
	return apiCommand{name: "mute", args: "ID USERNAME...", minArgs: 2, maxArgs: -1, summary: summary,
		setup: func(fs *flag.FlagSet) apiCall {
			d := fs.Duration("duration", 0, "how long, e.g. 30m or 24h (default: until unmuted)")
			return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				if *d < 0 {
					return nil, usagef("--duration %v is negative", *d)
				}
				dur := *d
				if dur == 0 {
					dur = forever
				}
				return do(ctx, c, x.args[0], x.args[1:], dur)
			}
		}}
}

// splitList splits a comma-separated flag value, dropping empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
