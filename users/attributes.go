package users

import (
	"context"
	"net/url"
	"slices"
	"unicode/utf8"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Attributes are a user's attributes (用户属性): any keys, string values.
// The client SDKs read the reserved keys nickname, avatarurl, phone, mail,
// gender ("0", "1" or "2"), sign, birth and ext.
type Attributes map[string]string

// Documented bounds of user attributes.
const (
	// MaxAttributesBytes is the most one user's attributes may hold, keys
	// and values together.
	MaxAttributesBytes = 2 << 10
)

// attributeChars are the documented lengths of the reserved keys.
var attributeChars = map[string]int{"nickname": 64, "avatarurl": 256, "phone": 32, "mail": 64, "sign": 256, "birth": 64}

// Size is how many bytes the attributes take against MaxAttributesBytes.
func (a Attributes) Size() int {
	n := 0
	for k, v := range a {
		n += len(k) + len(v)
	}
	return n
}

// check applies the documented limits of the reserved keys and the total.
func (a Attributes) check(op string) error {
	if len(a) == 0 {
		return core.Invalid(op, "attributes", "none given")
	}
	for k, v := range a {
		switch limit, reserved := attributeChars[k]; {
		case k == "":
			return core.Invalid(op, "attributes", "empty key")
		case reserved && utf8.RuneCountInString(v) > limit:
			return core.Invalid(op, k, "%d characters, at most %d allowed", utf8.RuneCountInString(v), limit)
		case k == "gender" && v != "0" && v != "1" && v != "2":
			return core.Invalid(op, k, "%q is not 0, 1 or 2", v)
		}
	}
	if n := a.Size(); n > MaxAttributesBytes {
		return core.Invalid(op, "attributes", "%d bytes, at most %d per user", n, MaxAttributesBytes)
	}
	return nil
}

// SetAttributes sets some of the user's attributes (设置用户属性), leaving
// the others, and returns those it set. It is sent form-encoded, as the
// server requires. The server refuses (403 FORBIDDEN) when the user's
// attributes would pass MaxAttributesBytes in total; this call's own
// size is checked before sending.
//
//meta:operation PUT /metadata/user/{username} (metadata.Set)
func (s *Service) SetAttributes(ctx context.Context, username string, a Attributes, opts ...option.Call) (Attributes, error) {
	op := catalog.MetadataSet
	if err := a.check(op.ID); err != nil {
		return nil, err
	}
	r, err := userRequest(op, username, opts)
	if err != nil {
		return nil, err
	}
	r.Form = url.Values{}
	for k, v := range a {
		r.Form.Set(k, v)
	}
	return core.Data[Attributes](ctx, s.c, r)
}

// Attributes returns all the user's attributes (获取指定用户的所有用户属性);
// none, not an error, for an unknown user.
//
//meta:operation GET /metadata/user/{username} (metadata.Get)
func (s *Service) Attributes(ctx context.Context, username string, opts ...option.Call) (Attributes, error) {
	return userData[Attributes](ctx, s, catalog.MetadataGet, username, opts)
}

// AttributesBatch returns the named attributes of many users (批量获取用户
// 属性), split into calls of at most 100 users. The result has one item per
// user in input order; the server leaves out users and keys without a
// value, so such a user is done with no attributes.
//
//meta:operation POST /metadata/user/get (metadata.GetBatch)
func (s *Service) AttributesBatch(ctx context.Context, usernames, keys []string, opts ...option.Call) (*batch.Result[string, Attributes], error) {
	op := catalog.MetadataGetBatch
	if len(keys) == 0 {
		return nil, core.Invalid(op.ID, "keys", "none given; the server answers only the keys named")
	}
	if i := slices.Index(keys, ""); i >= 0 {
		return nil, core.Invalid(op.ID, "keys", "key %d is empty", i)
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, Attributes]{
		Op: op, Cap: "targets", Field: "usernames",
		Key:   core.FoldKey,
		Check: func(u string) error { return checkUsername(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Attributes], *core.Request, error) {
			r := &core.Request{Op: op, Body: map[string][]string{"targets": chunk, "properties": keys}, Opts: set}
			got, err := core.Data[map[string]Attributes](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			by := make(map[string]core.Outcome[Attributes], len(chunk))
			for _, u := range chunk {
				by[core.FoldKey(u)] = core.Accepted(Attributes{}) // absent: nothing set
			}
			for u, a := range got {
				by[core.FoldKey(u)] = core.Accepted(a)
			}
			return outcomes(chunk, by), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}

// DeleteAttributes deletes all the user's attributes (删除用户属性); it
// succeeds when there were none.
//
//meta:operation DELETE /metadata/user/{username} (metadata.Delete)
func (s *Service) DeleteAttributes(ctx context.Context, username string, opts ...option.Call) error {
	ok, err := userData[core.Bool](ctx, s, catalog.MetadataDelete, username, opts)
	if err == nil && !ok {
		err = &core.DecodeError{Op: catalog.MetadataDelete.ID, StatusCode: 200, Reason: "data is false"}
	}
	return err
}

// AttributesCapacity returns the bytes all the app's user attributes take
// (获取 app 下的用户属性总大小).
//
//meta:operation GET /metadata/user/capacity (metadata.GetCapacity)
func (s *Service) AttributesCapacity(ctx context.Context, opts ...option.Call) (int64, error) {
	n, err := core.Data[core.Int64](ctx, s.c, &core.Request{Op: catalog.MetadataGetCapacity, Opts: option.Resolve(opts...)})
	return int64(n), err
}
