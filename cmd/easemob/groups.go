package main

import (
	"context"
	"flag"
	"iter"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/option"
)

// The groups module: one command per everyday call of Client.Groups.
func init() {
	grp := room[*groups.Service]{idArg: "GROUP_ID", of: func(c *easemob.Client) *groups.Service { return c.Groups }}
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
		getCommand(grp, "show one group with its members (获取群组详情); exit code 4 when there is none", (*groups.Service).Get),
		listCommand(grp, "list the app's groups, newest first: one page, or --all (分页获取 App 中的群组)",
			(*groups.Service).List, func(pg *groups.Page) ([]groups.Group, string) { return pg.Groups, pg.Cursor },
			(*groups.Service).All),
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
		okCommand(grp, "delete", "dissolve a group, its threads with it (解散群组)", (*groups.Service).Delete),
		transferCommand(grp, "make a member the owner; the old owner stays a member (转让群组)", (*groups.Service).TransferOwner),
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
		namesCommand(grp, "add-members", "add users to a group (批量添加群组成员); users already in are reported not added", (*groups.Service).AddMembers),
		namesCommand(grp, "remove-members", "remove users from a group and its threads (批量移除群组成员)", (*groups.Service).RemoveMembers),
		apiCommand{name: "is-member", args: "GROUP_ID USERNAME", minArgs: 2, maxArgs: 2,
			summary: "whether a user is in a group (查看指定用户是否已加入群组)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				in, err := c.Groups.IsMember(ctx, x.args[0], x.args[1])
				return membership{ID: x.args[0], Username: x.args[1], Member: in}, err
			})},
		idCommand(grp, "admins", "a group's admins (获取群管理员列表)", (*groups.Service).Admins),
		idUserCommand(grp, "add-admin", "make a member an admin, at most 99 a group (添加群管理员)", (*groups.Service).AddAdmin),
		idUserCommand(grp, "remove-admin", "make an admin a plain member again (移除群管理员)", (*groups.Service).RemoveAdmin),
		idCommand(grp, "muted", "a group's muted members and when each mute ends (获取禁言列表)", (*groups.Service).Muted),
		muteCommand(grp, "mute members for --duration, or for good (禁言指定群成员)", groups.MuteForever, (*groups.Service).MuteMembers),
		namesCommand(grp, "unmute", "lift members' mutes (解除成员禁言)", (*groups.Service).UnmuteMembers),
		idCommand(grp, "mute-all", "mute the whole group: only allowlisted members may speak (禁言全体群成员)", noAnswer((*groups.Service).MuteAll)),
		idCommand(grp, "unmute-all", "lift the whole group's mute (解除全员禁言)", noAnswer((*groups.Service).UnmuteAll)),
		idCommand(grp, "blocked", "a group's blocklist (查询群组黑名单)", (*groups.Service).Blocked),
		namesCommand(grp, "block", "put members on the blocklist: they leave and cannot rejoin (批量添加用户至群组黑名单)", (*groups.Service).BlockMembers),
		namesCommand(grp, "unblock", "take users off the blocklist; they do not rejoin (从群组黑名单批量移除用户)", (*groups.Service).UnblockMembers),
	)
}

// membership is whether a user is in a group.
type membership struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Member   bool   `json:"member"`
}

// noAnswer makes a call that answers only an error one that prints
// nothing, for idCommand.
func noAnswer[S any](do func(S, context.Context, string, ...option.Call) error) func(S, context.Context, string, ...option.Call) (any, error) {
	return func(s S, ctx context.Context, id string, opts ...option.Call) (any, error) {
		return nil, do(s, ctx, id, opts...)
	}
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
