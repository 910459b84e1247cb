// Package callbacks calls the Easemob callback (webhook) failure storage API. Get a Service from
// easemob.Client.Callbacks.
package callbacks

import "github.com/emquota/easemob/internal/core"

// Service is the callbacks API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
