// Package threads calls the Easemob thread (sub-conversations of a group) API. Get a Service from
// easemob.Client.Threads.
package threads

import "github.com/emquota/easemob/internal/core"

// Service is the threads API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
