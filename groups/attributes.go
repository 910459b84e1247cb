package groups

import (
	"context"
	"encoding/json"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// MemberAttributes are custom attributes to set on one member. Keys are 1
// to 16 bytes, values at most 512 (an empty value deletes its key), and
// all of one member's at most 4 KB.
type MemberAttributes struct {
	Username   string            `json:"username"`
	Attributes map[string]string `json:"metadata"`
}

// SetMemberAttributes sets a member's custom attributes (设置群成员自定义属性)
// and returns them as the server now has them.
//
//meta:operation PUT /metadata/chatgroup/{group_id}/user/{username} (groups.SetMemberAttributes)
func (s *Service) SetMemberAttributes(ctx context.Context, groupID, username string, attrs map[string]string, opts ...option.Call) (map[string]string, error) {
	op := catalog.GroupsSetMemberAttributes
	if err := checkAttributes(op.ID, attrs); err != nil {
		return nil, err
	}
	r := groupRequest(op, groupID, opts, "username", username)
	r.Body = map[string]map[string]string{"metaData": attrs}
	return core.Data[map[string]string](ctx, s.c, r)
}

// SetMemberAttributesBatch sets the attributes of many members
// (批量设置群成员自定义属性), at most 20 members a call. Each item is done
// with the attributes the server reports, failed with its reason, or
// failed as left out of the answer. A member given twice is refused
// before anything is sent (the server would merge them).
//
//meta:operation PUT /metadata/chatgroup/{group_id}/users/batch (groups.SetMemberAttributesBatch)
func (s *Service) SetMemberAttributesBatch(ctx context.Context, groupID string, members []MemberAttributes, opts ...option.Call) (*batch.Result[MemberAttributes, map[string]string], error) {
	op := catalog.GroupsSetMemberAttributesBatch
	if err := checkGroupID(op.ID, groupID); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[MemberAttributes, map[string]string]{
		Op: op, Cap: "$", Field: "members",
		Key: func(m MemberAttributes) string { return core.FoldKey(m.Username) },
		Check: func(m MemberAttributes) error {
			if err := checkUser(op.ID, "Username", m.Username); err != nil {
				return err
			}
			return checkAttributes(op.ID, m.Attributes)
		},
		Send: func(ctx context.Context, chunk []MemberAttributes) ([]core.Outcome[map[string]string], *core.Request, error) {
			r := groupRequest(op, groupID, nil)
			r.Body, r.Opts = chunk, set
			data, err := core.Data[attributesAnswer](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			return data.outcomes(chunk), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, members)
}

// attributesAnswer is the data of a batch set. The docs' example spells
// both keys with a trailing colon, the field table without: both decode.
type attributesAnswer struct {
	Succeeded []attributesItem
	Failed    []attributesItem
}

type attributesItem struct {
	Username string            `json:"username"`
	Metadata map[string]string `json:"metadata"`
	Reason   string
}

func (a *attributesAnswer) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		key  string
		into *[]attributesItem
	}{{"updateMetadataSucceeded", &a.Succeeded}, {"updateMetadataFailed", &a.Failed}} {
		for _, k := range []string{f.key, f.key + ":"} {
			raw, ok := o[k]
			if !ok || string(raw) == "null" {
				continue
			}
			var items []core.Object
			if err := json.Unmarshal(raw, &items); err != nil {
				return err
			}
			for _, it := range items {
				var attrs map[string]string
				if m, ok := it["metadata"]; ok {
					_ = json.Unmarshal(m, &attrs) // a failure may carry none
				}
				*f.into = append(*f.into, attributesItem{Username: it.String("username"), Metadata: attrs, Reason: failReason(it)})
			}
		}
	}
	return nil
}

// failReason is the reason a failed item gives, under whichever name.
func failReason(o core.Object) string {
	for _, k := range []string{"reason", "message", "error", "error_description"} {
		if s := o.String(k); s != "" {
			return s
		}
	}
	return "refused by the server (no reason given)"
}

func (a *attributesAnswer) outcomes(chunk []MemberAttributes) []core.Outcome[map[string]string] {
	byName := map[string]core.Outcome[map[string]string]{}
	for _, it := range a.Succeeded {
		byName[core.FoldKey(it.Username)] = core.Accepted(it.Metadata)
	}
	for _, it := range a.Failed {
		byName[core.FoldKey(it.Username)] = core.Refused[map[string]string](it.Reason)
	}
	return core.ByKey(chunk, func(m MemberAttributes) string { return core.FoldKey(m.Username) }, byName, core.Omitted)
}

// MemberAttributes returns all of a member's custom attributes
// (获取单个群成员的所有自定义属性).
//
//meta:operation GET /metadata/chatgroup/{group_id}/user/{username} (groups.GetMemberAttributes)
func (s *Service) MemberAttributes(ctx context.Context, groupID, username string, opts ...option.Call) (map[string]string, error) {
	return core.Data[map[string]string](ctx, s.c, groupRequest(catalog.GroupsGetMemberAttributes, groupID, opts, "username", username))
}

// MembersAttributes returns the attributes named by keys (all of them when
// keys is empty) of many members (根据属性 key 获取多个群成员的自定义属性),
// at most 10 members a call. A member the answer leaves out (not in the
// group) is reported failed.
//
//meta:operation POST /metadata/chatgroup/{group_id}/get (groups.GetMembersAttributesByKeys)
func (s *Service) MembersAttributes(ctx context.Context, groupID string, usernames, keys []string, opts ...option.Call) (*batch.Result[string, map[string]string], error) {
	op := catalog.GroupsGetMembersAttributesByKeys
	if err := checkGroupID(op.ID, groupID); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if k == "" || len(k) > maxAttrKeyBytes {
			return nil, core.Invalid(op.ID, "keys", "%q; keys are 1 to %d bytes", k, maxAttrKeyBytes)
		}
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, map[string]string]{
		Op: op, Cap: "targets", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[map[string]string], *core.Request, error) {
			r := groupRequest(op, groupID, nil)
			r.Opts = set
			r.Body = struct {
				Targets    []string `json:"targets"`
				Properties []string `json:"properties,omitempty"`
			}{chunk, keys}
			data, err := core.Data[map[string]map[string]string](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			found := make(map[string]core.Outcome[map[string]string], len(data))
			for k, v := range data {
				found[core.FoldKey(k)] = core.Accepted(v)
			}
			return core.ByKey(chunk, core.FoldKey, found, core.Omitted), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, usernames)
}
