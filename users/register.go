package users

import (
	"context"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
)

// Register creates one account with the app token (授权注册单个用户).
//
//meta:operation POST /users (users.Register)
func (s *Service) Register(ctx context.Context, u NewUser) (*User, error) {
	op := catalog.UsersRegister
	if err := checkNewUser(op.ID, u); err != nil {
		return nil, err
	}
	var out envelope
	if err := s.c.Do(ctx, &core.Request{Op: op, Body: u, Result: &out}); err != nil {
		return nil, err
	}
	if len(out.Entities) == 0 {
		return nil, &core.Error{Op: op.ID, StatusCode: 200, Description: "response has no user entity"}
	}
	return &out.Entities[0], nil
}

// registerFailure is one item of the data array of a batch registration.
type registerFailure struct {
	Username string `json:"username"`
	Reason   string `json:"registerUserFailReason"`
}

// RegisterBatch creates many accounts (批量授权注册用户), split into calls
// of at most 60 as documented. The result lists every account as created or
// failed; the error is a *core.BatchError (easemob.BatchError) when any
// failed. All input is validated before the first call.
//
//meta:operation POST /users (users.RegisterBatch)
func (s *Service) RegisterBatch(ctx context.Context, users []NewUser) (*RegisterResult, error) {
	op := catalog.UsersRegisterBatch
	if len(users) == 0 {
		return nil, core.Invalid(op.ID, "users", "no users to register")
	}
	seen := make(map[string]bool, len(users))
	for _, u := range users {
		if err := checkNewUser(op.ID, u); err != nil {
			return nil, err
		}
		key := strings.ToLower(u.Username)
		if seen[key] {
			return nil, core.Invalid(op.ID, "Username", "%q appears twice (usernames are case-insensitive)", u.Username)
		}
		seen[key] = true
	}
	res := &RegisterResult{}
	var errs []error
	for _, chunk := range core.Chunks(users, op.MaxItems("$")) {
		var out envelope
		err := s.c.Do(ctx, &core.Request{Op: op, Body: chunk, Result: &out})
		if err != nil {
			errs = append(errs, err)
			for _, u := range chunk {
				res.Failed = append(res.Failed, RegisterFailure{Username: u.Username, Reason: err.Error(), Err: err})
			}
			continue
		}
		res.Created = append(res.Created, out.Entities...)
		var refused []registerFailure
		if len(out.Data) > 0 && decodeLoose(out.Data, &refused) == nil {
			for _, f := range refused {
				res.Failed = append(res.Failed, RegisterFailure{Username: f.Username, Reason: f.Reason})
			}
		}
	}
	if len(res.Failed) > 0 {
		return res, &core.BatchError{Op: op.ID, Succeeded: len(res.Created), Failed: len(res.Failed), Errs: errs}
	}
	return res, nil
}
