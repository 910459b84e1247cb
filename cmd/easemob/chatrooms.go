package main

import (
	"context"
	"flag"
	"iter"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/option"
)

// The chatrooms module: one command per everyday call of Client.Chatrooms.
func init() {
	cr := room[*chatrooms.Service]{idArg: "ROOM_ID", of: func(c *easemob.Client) *chatrooms.Service { return c.Chatrooms }}
	addModule("chatrooms",
		apiCommand{name: "create", args: "OWNER", minArgs: 1, maxArgs: 1,
			summary: "create a chatroom owned by OWNER and print its ID (创建聊天室)",
			setup: func(fs *flag.FlagSet) apiCall {
				var room chatrooms.NewChatroom
				fs.StringVar(&room.Name, "name", "", "room name, at most 128 characters (required)")
				fs.StringVar(&room.Description, "description", "", "description, at most 512 characters (required)")
				fs.IntVar(&room.MaxUsers, "max-users", 0, "member limit, owner included, 1 to 10000 (0: the server's 1000)")
				fs.StringVar(&room.Custom, "custom", "", "custom extension text")
				fs.StringVar(&room.RoomID, "id", "", "custom room ID (a feature that must be enabled)")
				members := fs.String("members", "", "members to add at once, comma-separated")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					room.Owner, room.Members = x.args[0], splitList(*members)
					id, err := c.Chatrooms.Create(ctx, room)
					return created{ID: id}, err
				}
			}},
		getCommand(cr, "show one chatroom with its members (查询聊天室详情); exit code 4 when there is none", (*chatrooms.Service).Get),
		listCommand(cr, "list the app's chatrooms: one page, or --all (获取 app 中的聊天室)",
			(*chatrooms.Service).List, func(pg *chatrooms.Page) ([]chatrooms.Summary, string) { return pg.Chatrooms, pg.Cursor },
			(*chatrooms.Service).All),
		apiCommand{name: "joined", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "the chatrooms a user is in: one page, or --all (获取用户加入的聊天室)",
			setup:   roomPages((*chatrooms.Service).ListJoinedByUser, (*chatrooms.Service).AllJoinedByUser)},
		apiCommand{name: "update", args: "ROOM_ID", minArgs: 1, maxArgs: 1,
			summary: "change a chatroom's name, description or member limit (修改聊天室信息)",
			help:    "Prints which of the fields sent the server changed.",
			setup: func(fs *flag.FlagSet) apiCall {
				var ch chatrooms.Changes
				fs.StringVar(&ch.Name, "name", "", "new name")
				fs.StringVar(&ch.Description, "description", "", "new description")
				fs.IntVar(&ch.MaxUsers, "max-users", 0, "new member limit, owner included")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					if ch == (chatrooms.Changes{}) {
						return nil, usagef("chatrooms update: give --name, --description or --max-users")
					}
					return c.Chatrooms.Update(ctx, x.args[0], ch)
				}
			}},
		okCommand(cr, "delete", "dissolve a chatroom (解散聊天室)", (*chatrooms.Service).Delete),
		transferCommand(cr, "make another user the owner; the old owner stays a member (转让聊天室)", (*chatrooms.Service).TransferOwner),
		apiCommand{name: "members", args: "ROOM_ID", minArgs: 1, maxArgs: 1,
			summary: "a chatroom's owner and members: one page, or --all (分页获取聊天室成员列表)",
			setup:   roomPages((*chatrooms.Service).ListMembers, (*chatrooms.Service).AllMembers)},
		namesCommand(cr, "add-members", "add users to a chatroom; members already in count as added (批量添加聊天室成员)", (*chatrooms.Service).AddMembers),
		namesCommand(cr, "remove-members", "remove users from a chatroom (批量移除聊天室成员)", (*chatrooms.Service).RemoveMembers),
		idCommand(cr, "admins", "a chatroom's admins (获取聊天室管理员列表)", (*chatrooms.Service).ListAdmins),
		idUserCommand(cr, "add-admin", "make a member an admin of the chatroom (添加聊天室管理员)", (*chatrooms.Service).AddAdmin),
		idUserCommand(cr, "remove-admin", "make an admin a plain member again (移除聊天室管理员)", (*chatrooms.Service).RemoveAdmin),
		idCommand(cr, "muted", "a chatroom's muted members and when each mute ends (获取禁言列表)", (*chatrooms.Service).ListMuted),
		muteCommand(cr, "mute members for --duration, or for good (禁言聊天室成员)", chatrooms.Forever, (*chatrooms.Service).MuteMembers),
		namesCommand(cr, "unmute", "lift members' mutes (解除聊天室禁言成员)", (*chatrooms.Service).UnmuteMembers),
		roomMuteCommand(cr, "mute-all", "mute the whole chatroom: allowlisted members may still speak (禁言聊天室全体成员)", (*chatrooms.Service).MuteAll),
		roomMuteCommand(cr, "unmute-all", "lift the whole chatroom's mute (解除聊天室全员禁言)", (*chatrooms.Service).UnmuteAll),
		idCommand(cr, "blocked", "a chatroom's blocklist (查询聊天室黑名单)", (*chatrooms.Service).ListBlocked),
		namesCommand(cr, "block", "put users on the blocklist: they leave and cannot rejoin (批量添加用户至聊天室黑名单)", (*chatrooms.Service).BlockMembers),
		namesCommand(cr, "unblock", "take users off the blocklist (从聊天室黑名单批量移除用户)", (*chatrooms.Service).UnblockMembers),
	)
}

// roomMute is a room's all-muted state as the server reports it.
type roomMute struct {
	ID       string `json:"id"`
	AllMuted bool   `json:"all_muted"`
}

// roomMuteCommand is "NAME ROOM_ID" of a call that sets the all-muted state.
func roomMuteCommand(r room[*chatrooms.Service], name, summary string,
	do func(*chatrooms.Service, context.Context, string, ...option.Call) (bool, error)) apiCommand {
	return apiCommand{name: name, args: r.idArg, minArgs: 1, maxArgs: 1, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			muted, err := do(r.of(c), ctx, x.args[0])
			return roomMute{ID: x.args[0], AllMuted: muted}, err
		})}
}

// roomPages is the setup of a chatrooms list of the first argument (a
// user or a room) paged by number: pages from 1, of 100 by default.
func roomPages[T any](one func(*chatrooms.Service, context.Context, string, chatrooms.PageParams, ...option.Call) ([]T, error),
	all func(*chatrooms.Service, context.Context, string, chatrooms.PageParams, ...option.Call) iter.Seq2[T, error]) func(*flag.FlagSet) apiCall {
	params := func(p numbered) chatrooms.PageParams { return chatrooms.PageParams{Page: p.page, Size: p.limit} }
	return numberedList(numbered{page: 1, limit: 100}, 1000,
		func(ctx context.Context, c *easemob.Client, x *call, p numbered) ([]T, error) {
			return one(c.Chatrooms, ctx, x.args[0], params(p))
		},
		func(ctx context.Context, c *easemob.Client, x *call, p numbered) iter.Seq2[T, error] {
			return all(c.Chatrooms, ctx, x.args[0], params(p))
		})
}
