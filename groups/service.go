// Package groups calls the Easemob group (chatgroup) API. Get a Service from
// easemob.Client.Groups.
package groups

import "github.com/emquota/easemob/internal/core"

// Service is the groups API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
