// Package chatrooms calls the Easemob chatroom API: listing and details,
// creation, changes, ownership and dissolution, announcements, members,
// admins, block and allow lists, mutes, super admins, custom attributes
// and user tags. Get a Service from easemob.Client.Chatrooms.
//
// Every method checks its input against the documented rules before any
// quota is spent. Batch methods split their input into calls that fit
// the documented per-call caps and report every user (or attribute key)
// by name: done, refused with the server's reason, left out of the
// answer, or not sent. Every method takes per-call options last (see
// package option).
package chatrooms

import "github.com/emquota/easemob/internal/core"

// Service is the chatrooms API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
