package main

import (
	"context"
	"flag"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/callbacks"
)

// The callbacks module: the post-send webhooks that could not be
// delivered, stored per 10-minute slice for 3 days, and their redelivery.
// The storage is a value-added service, enabled in the console.
func init() {
	addModule("callbacks",
		apiCommand{name: "storage", maxArgs: 0,
			summary: "the 10-minute slices holding undelivered webhooks (查询异常缓存数据)",
			help:    "DATE is the slice's start, yyyyMMddHHmm, as redeliver takes it.",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Callbacks.StorageInfo(ctx)
			})},
		apiCommand{name: "redeliver", args: "DATE", minArgs: 1, maxArgs: 1,
			summary: "send the stored webhooks of one slice again (补发异常回调数据)",
			help: `DATE is the slice's key, yyyyMMddHHmm (see callbacks storage). result is
false when the server sent nothing: no set stored for DATE, or one older
than 3 days.`,
			setup: func(fs *flag.FlagSet) apiCall {
				retry := fs.Int("retry", 0, "your count of earlier redeliveries of this slice, from 0 (the docs advise at most 10)")
				target := fs.String("target-url", "", "send to this http(s) URL instead of the rule's")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					ok, err := c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: x.args[0], Retry: *retry, TargetURL: *target})
					return redelivered{Date: x.args[0], Result: ok}, err
				}
			}},
	)
}

// redelivered is what redeliver prints: whether the server sent the slice.
type redelivered struct {
	Date   string `json:"date"`
	Result bool   `json:"result"`
}
