// Package users calls the Easemob user-account API: registration, lookup,
// paging, deletion, passwords, online status, offline messages, bans and
// forced logouts, user tokens; and what hangs off a user: offline push
// settings and templates, contacts and the blocklist, user attributes,
// global mutes and favorites. Get a Service from easemob.Client.Users.
//
// Each area is one file of methods named for it (SetPushSettings,
// AddContact, Block, SetAttributes, SetMute, AddFavorite, Token...), all
// on the one Service.
//
// Every method checks its input against the documented rules before any
// quota is spent, then waits for the quota of its endpoint group; batch
// methods split a request into calls that fit the documented per-call caps
// and report every item. Every method takes per-call options last (see
// package option).
package users

import "github.com/emquota/easemob/internal/core"

// Service is the users API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
