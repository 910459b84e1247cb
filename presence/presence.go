package presence

import (
	"context"
	"strconv"
	"time"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// SetStatus sets a user's presence on one device resource (设置用户在线状态信息):
// status Online, Offline or a number of the app's own, with a status text
// ext of 1 to 1024 bytes.
//
//meta:operation POST /users/{username}/presence/{resource}/{status} (presence.SetStatus)
func (s *Service) SetStatus(ctx context.Context, username, resource string, status Status, ext string, opts ...option.Call) error {
	op := catalog.PresenceSetStatus
	if err := checkStatus(op.ID, status); err != nil {
		return err
	}
	if err := checkExt(op.ID, ext); err != nil {
		return err
	}
	return ok(ctx, s.c, &core.Request{
		Op:   op,
		Path: core.P("username", username, "resource", resource, "status", string(status)),
		Body: map[string]string{"ext": ext}, Opts: option.Resolve(opts...),
	})
}

// Subscribe subscribes a user to the presence of others for expiry (at
// most 30 days; subscribing again sets a new expiry) (批量订阅在线状态),
// split into calls of at most 100 users. Each item's value is the target's
// presence at subscription time. A user may not subscribe to itself; the
// server keeps at most 3000 subscriptions per user, replacing those
// closest to expiry.
//
//meta:operation POST /users/{username}/presence/{expiry} (presence.Subscribe)
func (s *Service) Subscribe(ctx context.Context, username string, targets []string, expiry time.Duration, opts ...option.Call) (*batch.Result[string, Presence], error) {
	op := catalog.PresenceSubscribe
	secs, err := expirySeconds(op.ID, expiry)
	if err != nil {
		return nil, err
	}
	self := core.FoldKey(username)
	path := core.P("username", username, "expiry", strconv.FormatInt(secs, 10))
	return s.presences(ctx, op, path, targets, func(u string) error {
		if core.FoldKey(u) == self {
			return core.Invalid(op.ID, "username", "%q cannot subscribe to itself", u)
		}
		return nil
	}, opts)
}

// Statuses returns the presence of many users as seen by username
// (批量获取在线状态信息), split into calls of at most 100 users. The server
// answers only for users that username subscribes to: the others (and
// every user, when username does not exist) are reported failed, as left
// out of the answer.
//
//meta:operation POST /users/{username}/presence (presence.GetBatch)
func (s *Service) Statuses(ctx context.Context, username string, targets []string, opts ...option.Call) (*batch.Result[string, Presence], error) {
	return s.presences(ctx, catalog.PresenceGetBatch, core.P("username", username), targets, nil, opts)
}

// presences runs a batch whose answer lists the targets' presences.
func (s *Service) presences(ctx context.Context, op *catalog.Op, path core.Path, targets []string, check func(string) error, opts []option.Call) (*batch.Result[string, Presence], error) {
	if err := checkUser(op.ID, "username", path["username"]); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, Presence]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error {
			if err := checkUser(op.ID, "username", u); err != nil {
				return err
			}
			if check != nil {
				return check(u)
			}
			return nil
		},
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Presence], *core.Request, error) {
			r := &core.Request{Op: op, Path: path, Body: map[string][]string{"usernames": chunk}, Opts: set}
			got, err := result[[]Presence](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			return matchPresences(chunk, got), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, targets)
}

// matchPresences maps the answer to the chunk by uid. The server answers
// in request order, and the docs show an entry whose uid is empty: such an
// entry stands for the request's user at its position.
func matchPresences(chunk []string, got []Presence) []core.Outcome[Presence] {
	at := make(map[string]int, len(chunk))
	for i, u := range chunk {
		at[core.FoldKey(u)] = i
	}
	out := make([]core.Outcome[Presence], len(chunk))
	for i := range out {
		out[i] = core.Refused[Presence](core.Omitted)
	}
	for i, p := range got {
		j, known := at[core.FoldKey(p.Username)]
		if p.Username == "" && i < len(chunk) {
			j, known = i, true
		}
		if known && !out[j].Done {
			out[j] = core.Accepted(p)
		}
	}
	return out
}

// Unsubscribe ends a user's subscriptions to others (取消订阅多个用户的在线状态),
// split into calls of at most 100 users. The server confirms each call as
// a whole, so every user of a confirmed call is done.
//
//meta:operation DELETE /users/{username}/presence (presence.Unsubscribe)
func (s *Service) Unsubscribe(ctx context.Context, username string, targets []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.PresenceUnsubscribe
	if err := checkUser(op.ID, "username", username); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "$", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			// The docs' table names {"users": [...]}; the examples and the
			// vendor SDK send the bare array the server takes.
			r := &core.Request{Op: op, Path: core.P("username", username), Body: chunk, Opts: set}
			if err := ok(ctx, s.c, r); err != nil {
				return nil, r, err
			}
			out := make([]core.Outcome[struct{}], len(chunk))
			for i := range out {
				out[i] = core.Accepted(struct{}{})
			}
			return out, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, targets)
}
