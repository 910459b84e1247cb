// Package users calls the Easemob user-account API: registration, lookup,
// paging, deletion, passwords, online status, offline messages, bans and
// forced logouts. Get a Service from easemob.Client.Users.
//
// Every method validates its input before spending any quota, then waits
// for the quota of its endpoint group; batch methods split a request into
// calls that fit the documented per-call caps.
package users

import "github.com/emquota/easemob/internal/core"

// Service is the users API of one client.
type Service struct{ c *core.Client }

// New is called by easemob.New; users of the SDK get a Service from the Client.
func New(c *core.Client) *Service { return &Service{c: c} }
