package callbacks_test

import (
	"context"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/callbacks"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
)

func TestWire(t *testing.T) {
	wiretest.Run(t, []wiretest.Case{
		{Name: "StorageInfo", Op: catalog.CallbacksGetStorageInfo,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Callbacks.StorageInfo(ctx) }},
		{Name: "Redeliver", Op: catalog.CallbacksRetry,
			Drops: map[string]string{"data": `"success" is reported as true`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "202109091440"})
			}},
		{Name: "RedeliverElsewhere", Op: catalog.CallbacksRetry,
			Drops: map[string]string{"data": `"success" is reported as true`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "202109091450", Retry: 1, TargetURL: "https://example.com/hook"})
			}},
	})
}
