// Package moderation calls the Easemob text moderation and keyword list API. Get a Service from
// easemob.Client.Moderation.
package moderation

import "github.com/emquota/easemob/internal/core"

// Service is the moderation API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
