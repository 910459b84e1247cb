package users

import (
	"context"
	"encoding/json"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// registerFailure is one item of the data array of a batch registration.
type registerFailure struct {
	Username string `json:"username"`
	Reason   string `json:"registerUserFailReason"`
}

type registerAnswer struct {
	Entities []User          `json:"entities"`
	Data     json.RawMessage `json:"data"`
}

// RegisterBatch creates many accounts (批量授权注册用户), split into calls
// of at most 60 as documented and sent concurrently within the quota. The
// result has one item per account in input order: created (with the new
// user), refused with the server's reason, or not sent. All input is
// checked before the first call; a username given twice is refused. The
// error is a *batch.Error when any account was not created.
//
//meta:operation POST /users (users.RegisterBatch)
func (s *Service) RegisterBatch(ctx context.Context, users []NewUser, opts ...option.Call) (*batch.Result[NewUser, User], error) {
	op := catalog.UsersRegisterBatch
	set := option.Resolve(opts...)
	b := core.Batch[NewUser, User]{
		Op: op, Cap: "$", Field: "users",
		Key:   func(u NewUser) string { return core.FoldKey(u.Username) },
		Check: func(u NewUser) error { return checkNewUser(op.ID, u) },
		Send: func(ctx context.Context, chunk []NewUser) ([]core.Outcome[User], *core.Request, error) {
			var out registerAnswer
			r := &core.Request{Op: op, Body: chunk, Result: &out, Opts: set}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			var refused []registerFailure
			if len(out.Data) > 0 && string(out.Data) != "null" {
				if err := json.Unmarshal(out.Data, &refused); err != nil {
					return nil, r, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "data is not the documented failure list", Err: err}
				}
			}
			return registerOutcomes(chunk, out.Entities, refused), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, users)
}

// registerOutcomes matches the answer to the chunk by username: created,
// refused with the server's reason, or left out of the answer.
func registerOutcomes(chunk []NewUser, created []User, refused []registerFailure) []core.Outcome[User] {
	byName := make(map[string]core.Outcome[User], len(created)+len(refused))
	for _, u := range created {
		byName[core.FoldKey(u.Username)] = core.Accepted(u)
	}
	for _, f := range refused {
		byName[core.FoldKey(f.Username)] = core.Refused[User](f.Reason)
	}
	return core.ByKey(chunk, func(u NewUser) string { return core.FoldKey(u.Username) }, byName, core.Omitted)
}
