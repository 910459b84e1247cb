// Package groups calls the Easemob group (chatgroup) API: listing and
// details, creation and settings, ownership, disabling, announcements and
// shared files, members and their custom attributes, admins, block and
// allow lists and mutes. Get a Service from easemob.Client.Groups.
//
// Every method checks its input against the documented rules before any
// quota is spent, then waits for the quota of its endpoint group. Batch
// methods split their input into calls that fit the documented per-call
// caps and report every name: done, refused with the server's reason,
// left out of the answer, or not sent. Lists have a page method and an
// iterator that walks every page.
package groups

import "github.com/emquota/easemob/internal/core"

// Service is the groups API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
