package presence_test

import (
	"context"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/presence"
)

// okDrop is the drop of a {"result":"ok"} answer: the method checks it and
// reports success as a nil error (or each user done).
var okDrop = map[string]string{"result": `"ok" is checked, success is the nil error`}

// The examples answer for users c2 and c3; the calls ask for them.
func TestWire(t *testing.T) {
	wiretest.Run(t, []wiretest.Case{
		{Name: "SetStatus", Op: catalog.PresenceSetStatus, Drops: okDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Presence.SetStatus(ctx, "c1", "android", presence.Online, "123")
			}},
		{Name: "Subscribe", Op: catalog.PresenceSubscribe,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Presence.Subscribe(ctx, "c1", []string{"c2", "c3"}, 24*time.Hour)
			}},
		{Name: "Statuses", Op: catalog.PresenceGetBatch,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Presence.Statuses(ctx, "c1", []string{"c2", "c3"})
			}},
		{Name: "Unsubscribe", Op: catalog.PresenceUnsubscribe, Drops: okDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Presence.Unsubscribe(ctx, "c1", []string{"c2"})
			}},
		{Name: "Subscriptions", Op: catalog.PresenceListSubscriptions,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Presence.Subscriptions(ctx, "c1", presence.PageParams{Page: 1, PageSize: 100})
			}},
		{Name: "GroupOnlineCount", Op: catalog.PresenceGetGroupOnlineCount,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Presence.GroupOnlineCount(ctx, "207059303858177", presence.ChatGroup)
			}},
	})
}
