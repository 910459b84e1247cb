// Package callbacks calls the Easemob webhook failure storage API: the
// post-send webhooks that could not be delivered, stored per 10-minute
// slice for 3 days, and their redelivery. Get a Service from
// easemob.Client.Callbacks.
//
// The storage is a value-added service of the post-send webhook, bought
// and enabled separately in the console.
package callbacks

import "github.com/emquota/easemob/internal/core"

// Service is the callbacks API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
