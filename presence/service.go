// Package presence calls the Easemob presence (online status subscription) API. Get a Service from
// easemob.Client.Presence.
package presence

import "github.com/emquota/easemob/internal/core"

// Service is the presence API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
