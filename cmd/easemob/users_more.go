package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/users"
)

// The users module's other areas: contacts, blocklist, global mutes,
// attributes and push settings. Names follow the SDK methods, verb first
// (AddContact: add-contact), as users.go does with delete-oldest.
func init() {
	addModule("users",
		apiCommand{name: "add-contact", args: "OWNER FRIEND", minArgs: 2, maxArgs: 2,
			summary: "make two users friends, each in the other's list (添加好友); prints the friend",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.AddContact(ctx, x.args[0], x.args[1])
			})},
		apiCommand{name: "remove-contact", args: "OWNER FRIEND", minArgs: 2, maxArgs: 2,
			summary: "end a friendship, both ways (移除好友); prints the friend",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.RemoveContact(ctx, x.args[0], x.args[1])
			})},
		apiCommand{name: "contacts", args: "OWNER", minArgs: 1, maxArgs: 1,
			summary: "list a user's friends, newest first: one page, or --all (分页获取好友列表)",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 50 (0: the server's 10)")
				remarks := fs.Bool("remarks", false, "with the owner's remark on each friend")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := users.ContactListParams{Limit: *pf.limit, Cursor: *pf.cursor, Remarks: *remarks}
					return listed(*pf.all, func() (*users.ContactPage, error) { return c.Users.ContactsPage(ctx, x.args[0], p) },
						func(pg *users.ContactPage) ([]users.Contact, string) { return pg.Contacts, pg.Cursor },
						c.Users.AllContacts(ctx, x.args[0], p))
				}
			}},
		apiCommand{name: "set-contact-remark", args: "OWNER FRIEND REMARK", minArgs: 3, maxArgs: 3,
			summary: "set the owner's remark on a friend, at most 100 characters (设置好友备注)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return nil, c.Users.SetContactRemark(ctx, x.args[0], x.args[1], x.args[2])
			})},
		apiCommand{name: "block", args: "OWNER USERNAME...", minArgs: 2, maxArgs: -1,
			summary: "add users to the owner's blocklist (添加用户至黑名单): they can no longer message the owner",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return perUsernames(c.Users.Block(ctx, x.args[0], x.args[1:]))
			})},
		apiCommand{name: "unblock", args: "OWNER USERNAME", minArgs: 2, maxArgs: 2,
			summary: "take a user off the owner's blocklist (从黑名单移除用户)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.Unblock(ctx, x.args[0], x.args[1])
			})},
		apiCommand{name: "blocked", args: "OWNER", minArgs: 1, maxArgs: 1,
			summary: "list the users the owner has blocked, newest first (获取黑名单列表)",
			help:    "Without --limit the server answers the latest 500 in one page; --all pages by 50.",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 50 (0: the latest 500 in one page)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					p := users.BlockListParams{PageSize: *pf.limit, Cursor: *pf.cursor}
					return listed(*pf.all, func() (*users.BlockPage, error) { return c.Users.Blocked(ctx, x.args[0], p) },
						func(pg *users.BlockPage) ([]string, string) { return pg.Usernames, pg.Cursor },
						c.Users.AllBlocked(ctx, x.args[0], p))
				}
			}},
		apiCommand{name: "mute", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "mute a user in every conversation of the kinds given (设置用户全局禁言)",
			help: `Each of --chat, --groupchat and --chatroom takes a duration in whole
seconds (90s, 2h), "forever", or 0 to lift that kind's mute; kinds not
given stay as they are.`,
			setup: func(fs *flag.FlagSet) apiCall {
				var m users.MuteUpdate
				fs.Var(muteKindFlag{&m.Chat}, "chat", "mute in one-to-one chats for this long")
				fs.Var(muteKindFlag{&m.GroupChat}, "groupchat", "mute in groups for this long")
				fs.Var(muteKindFlag{&m.Chatroom}, "chatroom", "mute in chatrooms for this long")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					if m.Chat == nil && m.GroupChat == nil && m.Chatroom == nil {
						return nil, usagef("mute needs --chat, --groupchat or --chatroom")
					}
					return nil, c.Users.SetMute(ctx, x.args[0], m)
				}
			}},
		apiCommand{name: "unmute", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "lift a user's global mute of every kind (设置用户全局禁言, all to 0)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				zero := users.MuteFor(0)
				return nil, c.Users.SetMute(ctx, x.args[0], users.MuteUpdate{Chat: zero, GroupChat: zero, Chatroom: zero})
			})},
		apiCommand{name: "mute-status", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "the time left of a user's global mute per kind (查询单个用户 ID 全局禁言)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				m, err := c.Users.Mute(ctx, x.args[0])
				if err != nil {
					return nil, err
				}
				return muteView{UserID: m.UserID, Chat: muteLeft(m.Chat), GroupChat: muteLeft(m.GroupChat),
					Chatroom: muteLeft(m.Chatroom)}, nil
			})},
		apiCommand{name: "mutes", maxArgs: 0,
			summary: "list the app's globally muted users, a row per user and kind (查询 app 下的所有全局禁言的用户)",
			help:    "The cursor is the number of the next page (pages count from 1).",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 50 (0: 50)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					num, err := pageNumber(*pf.cursor, 1)
					if err != nil {
						return nil, err
					}
					p := users.MuteListParams{PageNum: num, PageSize: *pf.limit}
					return listed(*pf.all, func() (*users.MutePage, error) { return c.Users.Mutes(ctx, p) },
						func(pg *users.MutePage) ([]muteRow, string) {
							// No total: a full page may have a next one.
							return mapSlice(pg.Rows, newMuteRow), nextPage(len(pg.Rows) >= cmp.Or(*pf.limit, 50), num)
						}, mapSeq(c.Users.AllMutes(ctx, p), newMuteRow))
				}
			}},
		apiCommand{name: "attributes", args: "USERNAME...", minArgs: 1, maxArgs: -1,
			summary: "a user's attributes (获取指定用户的所有用户属性); for several, --keys of each (批量获取用户属性)",
			setup: func(fs *flag.FlagSet) apiCall {
				keys := fs.String("keys", "", "comma-separated attribute keys; required for several users")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					if len(x.args) == 1 && *keys == "" {
						return c.Users.Attributes(ctx, x.args[0])
					}
					if *keys == "" {
						return nil, usagef("attributes of several users needs --keys: the server answers only the keys named")
					}
					res, err := c.Users.AttributesBatch(ctx, x.args, strings.Split(*keys, ","))
					if res == nil {
						return nil, err
					}
					out := make([]attributesRow, len(res.Items))
					for i, it := range res.Items {
						out[i] = attributesRow{Username: it.Input, Status: it.Status.String(), Reason: it.Reason, Attributes: it.Value}
					}
					return out, quiet(err, res.Count(batch.Done) > 0)
				}
			}},
		apiCommand{name: "set-attributes", args: "USERNAME KEY=VALUE...", minArgs: 2, maxArgs: -1,
			summary: "set some of a user's attributes, leaving the others (设置用户属性); prints those set",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				a := users.Attributes{}
				for _, kv := range x.args[1:] {
					k, v, ok := strings.Cut(kv, "=")
					if !ok {
						return nil, usagef("%q is not KEY=VALUE", kv)
					}
					a[k] = v
				}
				return c.Users.SetAttributes(ctx, x.args[0], a)
			})},
		apiCommand{name: "delete-attributes", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "delete all of a user's attributes (删除用户属性)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return nil, c.Users.DeleteAttributes(ctx, x.args[0])
			})},
		apiCommand{name: "push-settings", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "a user's offline push settings: app-wide, or of --chat or --group (查询离线推送设置)",
			setup: func(fs *flag.FlagSet) apiCall {
				conv := pushConversation(fs)
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					kind, key, err := conv(x.args[0])
					if err != nil {
						return nil, err
					}
					return c.Users.PushSettings(ctx, x.args[0], kind, key)
				}
			}},
		apiCommand{name: "set-push-settings", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "change a user's offline push settings: app-wide, or of --chat or --group (设置离线推送)",
			help: `--quiet-hours is app-wide only; --quiet-hours "" and --quiet-for 0 clear
them. Prints the settings now in force.`,
			setup: func(fs *flag.FlagSet) apiCall {
				conv := pushConversation(fs)
				typ := fs.String("type", "", "which messages push: ALL, AT (mentions), NONE, or DEFAULT (the app-wide one; conversations only)")
				hours := fs.String("quiet-hours", "", "a daily quiet window HH:MM-HH:MM")
				quietFor := fs.Duration("quiet-for", 0, "a quiet period from now, at most 168h")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					kind, key, err := conv(x.args[0])
					if err != nil {
						return nil, err
					}
					set := givenFlags(fs)
					u := users.PushUpdate{Type: users.PushType(strings.ToUpper(*typ)),
						IgnoreInterval: ifGiven(set, "quiet-hours", hours), IgnoreDuration: ifGiven(set, "quiet-for", quietFor)}
					if u.Type == "" && u.IgnoreInterval == nil && u.IgnoreDuration == nil {
						return nil, usagef("set-push-settings needs --type, --quiet-hours or --quiet-for")
					}
					return c.Users.SetPushSettings(ctx, x.args[0], kind, key, u)
				}
			}},
		apiCommand{name: "set-push-nickname", args: "USERNAME NICKNAME", minArgs: 2, maxArgs: 2,
			summary: "set the name offline pushes show for a user (设置离线推送时显示的昵称); prints the user",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Users.SetPushNickname(ctx, x.args[0], x.args[1])
			})},
		apiCommand{name: "set-push-style", args: "USERNAME summary|detail", minArgs: 2, maxArgs: 2,
			summary: "how offline pushes show messages (设置离线推送通知的展示方式); prints the user",
			help:    "summary shows a notice of a new message; detail the sender's nickname and the message.",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				style, ok := map[string]users.DisplayStyle{"summary": users.StyleSummary, "detail": users.StyleDetail}[x.args[1]]
				if !ok {
					return nil, usagef("style %q: want summary or detail", x.args[1])
				}
				return c.Users.SetPushDisplayStyle(ctx, x.args[0], style)
			})},
		apiCommand{name: "push-language", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "the language a user's offline pushes are translated into (获取推送通知的首选语言)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				lang, err := c.Users.PushLanguage(ctx, x.args[0])
				return pushLanguage{Username: x.args[0], Language: lang}, err
			})},
		apiCommand{name: "set-push-language", args: "USERNAME LANGUAGE", minArgs: 2, maxArgs: 2,
			summary: `set the language offline pushes are translated into, "" for none (设置推送通知的首选语言)`,
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				lang, err := c.Users.SetPushLanguage(ctx, x.args[0], x.args[1])
				return pushLanguage{Username: x.args[0], Language: lang}, err
			})},
	)
}

// muteKindFlag is a flag for one kind of MuteUpdate: unset leaves it nil.
type muteKindFlag struct{ d **time.Duration }

// String shows the value set, for flag's defaults.
func (f muteKindFlag) String() string {
	if f.d == nil || *f.d == nil {
		return ""
	}
	return muteLeft(**f.d).String()
}

// Set reads a duration, "forever" or 0.
func (f muteKindFlag) Set(s string) error {
	if s == "forever" {
		*f.d = users.MuteFor(users.MuteForever)
		return nil
	}
	d, err := time.ParseDuration(s)
	if s == "0" {
		d, err = 0, nil
	}
	if err != nil || d < 0 || d%time.Second != 0 {
		return fmt.Errorf("%q: want whole seconds (90s, 2h), forever, or 0", s)
	}
	*f.d = users.MuteFor(d)
	return nil
}

// muteLeft is the time left of a mute: shown as a duration, "forever" or
// empty for none; JSON in seconds, -1 for forever.
type muteLeft time.Duration

func (m muteLeft) String() string {
	switch time.Duration(m) {
	case 0:
		return ""
	case users.MuteForever:
		return "forever"
	}
	return time.Duration(m).String()
}

// MarshalJSON gives whole seconds, -1 for forever, as the API does.
func (m muteLeft) MarshalJSON() ([]byte, error) {
	if time.Duration(m) == users.MuteForever {
		return []byte("-1"), nil
	}
	return strconv.AppendInt(nil, int64(time.Duration(m)/time.Second), 10), nil
}

// muteView is a user's global mute as mute-status prints it.
type muteView struct {
	UserID    string   `json:"userid"`
	Chat      muteLeft `json:"chat"`
	GroupChat muteLeft `json:"groupchat"`
	Chatroom  muteLeft `json:"chatroom"`
}

// newMuteRow is the CLI's row of an SDK mute row.
func newMuteRow(r users.MuteRow) muteRow { return muteRow{r.Username, r.Kind, muteLeft(r.Left)} }

// muteRow is one row of the app's mute list.
type muteRow struct {
	Username string         `json:"username"`
	Kind     users.MuteKind `json:"kind"`
	Left     muteLeft       `json:"left"`
}

// attributesRow is one user of a several-user attributes call.
type attributesRow struct {
	Username   string           `json:"username"`
	Status     string           `json:"status"`
	Reason     string           `json:"reason,omitempty"`
	Attributes users.Attributes `json:"attributes"`
}

// pushLanguage is what push-language and set-push-language print.
type pushLanguage struct {
	Username string `json:"username"`
	Language string `json:"language"`
}

// pushConversation declares --chat and --group, which pick the
// conversation of a push setting; with neither it is the user's app-wide
// setting (the user's own ID as key).
func pushConversation(fs *flag.FlagSet) func(username string) (users.ChatKind, string, error) {
	peer := fs.String("chat", "", "the one-to-one chat with this user")
	group := fs.String("group", "", "the group chat of this group ID")
	return func(username string) (users.ChatKind, string, error) {
		switch {
		case *peer != "" && *group != "":
			return "", "", usagef("--chat or --group, not both")
		case *group != "":
			return users.GroupChat, *group, nil
		case *peer != "":
			return users.UserChat, *peer, nil
		}
		return users.UserChat, username, nil
	}
}
