// Package chatrooms calls the Easemob chatroom API. Get a Service from
// easemob.Client.Chatrooms.
package chatrooms

import "github.com/emquota/easemob/internal/core"

// Service is the chatrooms API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
