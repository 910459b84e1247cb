package chatrooms

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// roomRequest is a call on one room's path; more are further path name,
// value pairs. Core checks every path value before any quota is spent.
func roomRequest(op *catalog.Op, roomID string, set option.Settings, more ...string) *core.Request {
	return &core.Request{Op: op, Path: core.P(append([]string{"chatroom_id", roomID}, more...)...), Opts: set}
}

// resultAnswer is the data of the calls that answer {"result": ...}.
type resultAnswer struct {
	Result *core.Bool `json:"result"`
}

// result runs r and returns the answer's data.result (a boolean or "success").
func (s *Service) result(ctx context.Context, r *core.Request) (bool, error) {
	res, err := core.Data[resultAnswer](ctx, s.c, r)
	if err != nil {
		return false, err
	}
	if res.Result == nil {
		return false, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no result in the answer's data"}
	}
	return bool(*res.Result), nil
}

// flag runs r and returns the named boolean of the answer's data.
func (s *Service) flag(ctx context.Context, r *core.Request, name string) (bool, error) {
	data, err := core.Data[core.Object](ctx, s.c, r)
	if err != nil {
		return false, err
	}
	v, ok := data.Bool(name)
	if !ok {
		return false, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no " + name + " in the answer's data"}
	}
	return v, nil
}

// userBatch runs a batch over the user IDs of a room's op: split by the
// op's cap on usernames, each chunk sent as build makes it, the answer's
// per-user items ({"result", "reason", "user"}) mapped back by name and
// turned into values by value. The room and every name are checked before
// the first call.
func userBatch[Out any](ctx context.Context, s *Service, op *catalog.Op, roomID string, names []string, opts []option.Call,
	build func(chunk []string, set option.Settings) *core.Request, value func(core.NameResult) Out) (*batch.Result[string, Out], error) {
	if err := checkRoom(op.ID, roomID); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, Out]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Out], *core.Request, error) {
			r := build(chunk, set)
			data, err := core.Data[json.RawMessage](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			results, err := core.DecodeNameResults(data)
			if err != nil {
				return nil, r, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "data is not the documented per-user list", Err: err}
			}
			return core.ByName(chunk, results, value), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, names)
}

// none is the value of a user a batch only reports on.
func none(core.NameResult) struct{} { return struct{}{} }

// joinIDs joins the values of a list path parameter; core checks and
// escapes each one on its own.
func joinIDs(values []string) string { return strings.Join(values, ",") }
