// Package messages calls the Easemob message API: sends to users, groups
// and chatrooms, broadcasts, streaming sends, files, history, recall and
// modification, conversations, roaming deletions, import, reactions,
// search and translation. Get a Service from easemob.Client.Messages.
package messages

import "github.com/emquota/easemob/internal/core"

// Service is the messages API of one client.
type Service struct{ c *core.Client }

func init() { core.Provide(func(c *core.Client) *Service { return &Service{c: c} }) }
