// Package presence calls the Easemob presence (online status subscription)
// API: a user's own status, subscriptions to other users' statuses, and the
// online member count of a group. Get a Service from
// easemob.Client.Presence.
//
// Every method checks its input against the documented rules before any
// quota is spent; the batch methods split their users into calls of at
// most 100 and report every user. The presence feature must be enabled for
// the app (otherwise the server answers 400 "the app not open presence").
package presence

import "github.com/emquota/easemob/internal/core"

// Service is the presence API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
