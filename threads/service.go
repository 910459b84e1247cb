// Package threads calls the Easemob thread (sub-conversations of a group,
// 子区) API: listing the threads of the app, of a user and of a user in a
// group, creating, renaming and deleting threads, and managing their
// members. Get a Service from easemob.Client.Threads.
//
// Every method checks its input against the documented rules before any
// quota is spent; member batches are split into calls of at most 10 users
// and report every user. The thread feature must be enabled for the app
// (otherwise the server answers 403 "thread not open.").
package threads

import "github.com/emquota/easemob/internal/core"

// Service is the threads API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
