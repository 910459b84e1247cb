package main

import (
	"context"
	"flag"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/threads"
)

// The threads module: threads (子区) on group messages and their members.
func init() {
	addModule("threads",
		apiCommand{name: "create", args: "NAME", minArgs: 1, maxArgs: 1,
			summary: "create a thread on a group message (创建子区); the owner joins it",
			setup: func(fs *flag.FlagSet) apiCall {
				group := fs.String("group", "", "the group's ID (required)")
				msg := fs.String("message", "", "the ID of the group message the thread hangs off (required)")
				owner := fs.String("owner", "", "a member of the group who owns the thread (required)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					id, err := c.Threads.Create(ctx, threads.NewThread{GroupID: *group, Name: x.args[0], MessageID: *msg, Owner: *owner})
					if err != nil {
						return nil, err
					}
					return threadName{ID: id, Name: x.args[0]}, nil
				}
			}},
		apiCommand{name: "list", maxArgs: 0,
			summary: "list threads: the app's (分页获取 app 中的子区), --user's (获取单个用户加入的所有子区), or in --group (获取单个用户在指定群组中加入的所有子区)",
			help:    "The app's list gives only thread IDs; a user's gives whole threads, by join time.",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 50 (0: the server's 50)")
				user := fs.String("user", "", "the threads this user has joined")
				group := fs.String("group", "", "with --user: only in this group")
				sort := fs.String("sort", "", "asc or desc by time (the server's default: desc)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := threads.ListParams{Limit: *pf.limit, Cursor: *pf.cursor, Sort: threads.Sort(strings.ToLower(*sort))}
					whole := func(pg *threads.Page) ([]threads.Thread, string) { return pg.Threads, pg.Cursor }
					switch {
					case *group != "" && *user == "":
						return nil, usagef("--group needs --user")
					case p.Sort != "" && p.Sort != threads.Asc && p.Sort != threads.Desc:
						return nil, usagef("--sort %q: want asc or desc", *sort)
					case *group != "":
						return listed(*pf.all, func() (*threads.Page, error) { return c.Threads.ListByUserInGroup(ctx, *group, *user, p) },
							whole, c.Threads.AllByUserInGroup(ctx, *group, *user, p))
					case *user != "":
						return listed(*pf.all, func() (*threads.Page, error) { return c.Threads.ListByUser(ctx, *user, p) },
							whole, c.Threads.AllByUser(ctx, *user, p))
					}
					// The app's list has IDs only: no empty columns.
					return listed(*pf.all, func() (*threads.Page, error) { return c.Threads.List(ctx, p) },
						func(pg *threads.Page) ([]threadID, string) { return mapSlice(pg.Threads, newThreadID), pg.Cursor },
						mapSeq(c.Threads.All(ctx, p), newThreadID))
				}
			}},
		apiCommand{name: "members", args: "THREAD_ID", minArgs: 1, maxArgs: 1,
			summary: "list a thread's members: one page, or --all (获取子区成员列表)",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 50 (0: the server's 50)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := threads.MemberParams{Limit: *pf.limit, Cursor: *pf.cursor}
					return listed(*pf.all, func() (*threads.MemberPage, error) { return c.Threads.Members(ctx, x.args[0], p) },
						func(pg *threads.MemberPage) ([]string, string) { return pg.Usernames, pg.Cursor },
						c.Threads.AllMembers(ctx, x.args[0], p))
				}
			}},
		apiCommand{name: "add-members", args: "THREAD_ID USERNAME...", minArgs: 2, maxArgs: -1,
			summary: "add users to a thread (用户批量加入子区)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return perUsernames(c.Threads.AddMembers(ctx, x.args[0], x.args[1:]))
			})},
		apiCommand{name: "remove-members", args: "THREAD_ID USERNAME...", minArgs: 2, maxArgs: -1,
			summary: "remove users from a thread (批量踢出子区成员)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return perUsernames(c.Threads.RemoveMembers(ctx, x.args[0], x.args[1:]))
			})},
		apiCommand{name: "rename", args: "THREAD_ID NAME", minArgs: 2, maxArgs: 2,
			summary: "rename a thread, 1 to 64 characters (修改子区); prints the name the server holds",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				name, err := c.Threads.Update(ctx, x.args[0], x.args[1])
				if err != nil {
					return nil, err
				}
				return threadName{ID: x.args[0], Name: name}, nil
			})},
		apiCommand{name: "delete", args: "THREAD_ID", minArgs: 1, maxArgs: 1,
			summary: "delete a thread (删除子区); exit code 4 when there is none",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return nil, c.Threads.Delete(ctx, x.args[0])
			})},
	)
}

// threadName is a thread's ID and name, as create and rename print them.
type threadName struct {
	ID   string `json:"thread_id"`
	Name string `json:"name"`
}

// threadID is a thread of the app's list, which gives only the ID.
type threadID struct {
	ID string `json:"id"`
}

// newThreadID keeps a thread's ID.
func newThreadID(t threads.Thread) threadID { return threadID{t.ID} }
