package main

import (
	"cmp"
	"context"
	"flag"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/presence"
)

// The presence module: a user's own status, subscriptions to others'
// statuses, and a group's online count.
func init() {
	addModule("presence",
		apiCommand{name: "set-status", args: "USERNAME RESOURCE STATUS", minArgs: 3, maxArgs: 3,
			summary: "set a user's presence on one device resource (设置用户在线状态信息)",
			help: `STATUS is online, offline, or a number of the app's own (online is 1,
offline 0). RESOURCE is the device resource, e.g. android_123423453246.`,
			setup: func(fs *flag.FlagSet) apiCall {
				ext := fs.String("ext", "", "the status text, 1 to 1024 bytes (required)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					status := presence.Status(x.args[2])
					switch x.args[2] {
					case "online":
						status = presence.Online
					case "offline":
						status = presence.Offline
					}
					return nil, c.Presence.SetStatus(ctx, x.args[0], x.args[1], status, *ext)
				}
			}},
		apiCommand{name: "subscribe", args: "USERNAME TARGET...", minArgs: 2, maxArgs: -1,
			summary: "subscribe a user to the presence of others (批量订阅在线状态); prints each target's presence",
			help:    "Subscribing again sets a new expiry. A user keeps at most 3000 subscriptions.",
			setup: func(fs *flag.FlagSet) apiCall {
				expiry := fs.Duration("expiry", 24*time.Hour, "how long the subscription lasts, 1s to 720h")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					return presenceRows(c.Presence.Subscribe(ctx, x.args[0], x.args[1:], *expiry))
				}
			}},
		apiCommand{name: "unsubscribe", args: "USERNAME TARGET...", minArgs: 2, maxArgs: -1,
			summary: "end a user's subscriptions to others (取消订阅多个用户的在线状态)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return perUsernames(c.Presence.Unsubscribe(ctx, x.args[0], x.args[1:]))
			})},
		apiCommand{name: "statuses", args: "USERNAME TARGET...", minArgs: 2, maxArgs: -1,
			summary: "the presence of users as USERNAME sees it (批量获取在线状态信息)",
			help:    "The server answers only for targets USERNAME subscribes to; the others are failed.",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return presenceRows(c.Presence.Statuses(ctx, x.args[0], x.args[1:]))
			})},
		apiCommand{name: "subscriptions", args: "USERNAME", minArgs: 1, maxArgs: 1,
			summary: "list the users a user subscribes to: one page, or --all (查询订阅列表)",
			help:    "The cursor is the number of the next page (pages count from 1).",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 100 (0: 100)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					num, err := pageNumber(*pf.cursor, 1)
					if err != nil {
						return nil, err
					}
					p := presence.PageParams{Page: num, PageSize: *pf.limit}
					return listed(*pf.all, func() (*presence.SubscriptionPage, error) { return c.Presence.Subscriptions(ctx, x.args[0], p) },
						func(pg *presence.SubscriptionPage) ([]subscriptionRow, string) {
							more := num*cmp.Or(*pf.limit, presence.MaxPageSize) < pg.Total
							return mapSlice(pg.Subscriptions, newSubscriptionRow), nextPage(more, num)
						}, mapSeq(c.Presence.AllSubscriptions(ctx, x.args[0], p), newSubscriptionRow))
				}
			}},
		apiCommand{name: "group-online", args: "GROUP_ID", minArgs: 1, maxArgs: 1,
			summary: "how many members of a group are connected (查询单个群组的在线成员数量)",
			help:    "Custom statuses do not count; the service is enabled apart from presence.",
			setup: func(fs *flag.FlagSet) apiCall {
				community := fs.Bool("community", false, "GROUP_ID is a super-community server, not a chat group")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					kind := presence.ChatGroup
					if *community {
						kind = presence.CommunityServer
					}
					n, err := c.Presence.GroupOnlineCount(ctx, x.args[0], kind)
					return groupOnline{GroupID: x.args[0], Online: n}, err
				}
			}},
	)
}

// presenceRow is one target of a presence batch and its presence.
type presenceRow struct {
	Username string `json:"username"`
	Status   string `json:"status"` // done, failed, ...
	Reason   string `json:"reason,omitempty"`
	// Resources maps each device resource to its status.
	Resources  map[string]presence.Status `json:"resources,omitempty"`
	Ext        string                     `json:"ext,omitempty"`
	LastChange time.Time                  `json:"last_change,omitzero"`
	Expires    time.Time                  `json:"expires,omitzero"`
}

// presenceRows turns a presence batch into a row per target; see quiet
// for the error.
func presenceRows(res *batch.Result[string, presence.Presence], err error) (any, error) {
	if res == nil {
		return nil, err
	}
	out := make([]presenceRow, len(res.Items))
	for i, it := range res.Items {
		p := it.Value
		out[i] = presenceRow{Username: it.Input, Status: it.Status.String(), Reason: it.Reason,
			Resources: p.Status, Ext: p.Ext, LastChange: p.LastChange(), Expires: p.Expires()}
	}
	return out, quiet(err, res.Count(batch.Done) > 0)
}

// subscriptionRow is one user subscribed to.
type subscriptionRow struct {
	Username string    `json:"username"`
	Expires  time.Time `json:"expires"`
}

// newSubscriptionRow is the CLI's row of a subscription.
func newSubscriptionRow(s presence.Subscription) subscriptionRow {
	return subscriptionRow{Username: s.Username, Expires: s.Expires()}
}

// groupOnline is what group-online prints.
type groupOnline struct {
	GroupID string `json:"group_id"`
	Online  int    `json:"online"`
}
