// Package moderation calls the Easemob text moderation API: checking a
// text, and the keyword lists (allow, block and replace lists) that the
// check applies. Get a Service from easemob.Client.Moderation.
//
// Every method checks its input against the documented rules before any
// quota is spent. Text moderation must be enabled for the app and this API
// by Easemob sales; keyword lists need a text moderation rule (otherwise
// the server answers 400 "moderation org data is empty").
package moderation

import "github.com/emquota/easemob/internal/core"

// Service is the moderation API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
