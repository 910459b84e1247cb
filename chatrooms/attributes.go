package chatrooms

import (
	"context"
	"slices"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// Custom attributes are key-value pairs of a room, each owned by the
// member who set it: others may overwrite or delete it only with the
// forced calls. A room holds at most 100. Keys are 1 to 128 characters of
// a-z A-Z 0-9 _ . -; values at most 4096 characters.

// GetAttributes returns a room's custom attributes (获取聊天室自定义属性):
// those of keys, or all of them when keys is empty.
//
//meta:operation POST /metadata/chatroom/{chatroom_id} (chatrooms.GetAttributes)
func (s *Service) GetAttributes(ctx context.Context, roomID string, keys []string, opts ...option.Call) (map[string]string, error) {
	op := catalog.ChatroomsGetAttributes
	for _, k := range keys {
		if err := checkAttrKey(op.ID, k); err != nil {
			return nil, err
		}
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	body := map[string][]string{} // no keys: all attributes
	if len(keys) > 0 {
		body["keys"] = keys
	}
	r.Body = body
	return core.Data[map[string]string](ctx, s.c, r)
}

// SetAttributes sets custom attributes of a room as the member username
// (设置聊天室自定义属性), in key order, split into calls of at most 10.
// autoDelete says whether they go when the member leaves ("" is the
// server's default, DeleteOnLeave). Keys other members set are refused:
// see SetAttributesForced. The result has one item per attribute, done or
// failed with the server's reason for the key.
//
//meta:operation PUT /metadata/chatroom/{chatroom_id}/user/{username} (chatrooms.SetAttributes)
func (s *Service) SetAttributes(ctx context.Context, roomID, username string, attrs map[string]string, autoDelete AutoDelete, opts ...option.Call) (*batch.Result[Attribute, struct{}], error) {
	return s.setAttributes(ctx, catalog.ChatroomsSetAttributes, roomID, username, attrs, autoDelete, opts)
}

// SetAttributesForced sets custom attributes as SetAttributes does, but
// overwrites keys other members set (强制设置聊天室自定义属性); the member
// then owns them.
//
//meta:operation PUT /metadata/chatroom/{chatroom_id}/user/{username}/forced (chatrooms.SetAttributesForced)
func (s *Service) SetAttributesForced(ctx context.Context, roomID, username string, attrs map[string]string, autoDelete AutoDelete, opts ...option.Call) (*batch.Result[Attribute, struct{}], error) {
	return s.setAttributes(ctx, catalog.ChatroomsSetAttributesForced, roomID, username, attrs, autoDelete, opts)
}

// DeleteAttributes deletes custom attributes the member username set
// (删除聊天室自定义属性), split into calls of at most 10 keys, and reports
// each key.
//
//meta:operation DELETE /metadata/chatroom/{chatroom_id}/user/{username} (chatrooms.DeleteAttributes)
func (s *Service) DeleteAttributes(ctx context.Context, roomID, username string, keys []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.deleteAttributes(ctx, catalog.ChatroomsDeleteAttributes, roomID, username, keys, opts)
}

// DeleteAttributesForced deletes custom attributes whoever set them
// (强制删除聊天室自定义属性), as DeleteAttributes does otherwise.
//
//meta:operation DELETE /metadata/chatroom/{chatroom_id}/user/{username}/forced (chatrooms.DeleteAttributesForced)
func (s *Service) DeleteAttributesForced(ctx context.Context, roomID, username string, keys []string, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	return s.deleteAttributes(ctx, catalog.ChatroomsDeleteAttributesForced, roomID, username, keys, opts)
}

type setAttrsBody struct {
	MetaData   map[string]string `json:"metaData"`
	AutoDelete AutoDelete        `json:"autoDelete,omitempty"`
}

// keyResults is the data of the attribute writes: keys done, and the
// reason of each key refused.
type keyResults struct {
	SuccessKeys []string          `json:"successKeys"`
	ErrorKeys   map[string]string `json:"errorKeys"`
}

func (s *Service) setAttributes(ctx context.Context, op *catalog.Op, roomID, username string, attrs map[string]string, autoDelete AutoDelete, opts []option.Call) (*batch.Result[Attribute, struct{}], error) {
	if err := checkMemberPath(op.ID, roomID, username); err != nil {
		return nil, err
	}
	if autoDelete != "" && autoDelete != DeleteOnLeave && autoDelete != KeepOnLeave {
		return nil, core.Invalid(op.ID, "autoDelete", "%q is not DELETE or NO_DELETE", autoDelete)
	}
	items := make([]Attribute, 0, len(attrs))
	for k, v := range attrs {
		items = append(items, Attribute{Key: k, Value: v})
	}
	slices.SortFunc(items, func(a, b Attribute) int { return strings.Compare(a.Key, b.Key) })
	set := option.Resolve(opts...)
	b := core.Batch[Attribute, struct{}]{
		Op: op, Cap: "metaData", Field: "attrs",
		Check: func(a Attribute) error {
			if err := checkAttrKey(op.ID, a.Key); err != nil {
				return err
			}
			return checkText(op.ID, "value", a.Value, rules.MaxChatroomAttrValueChars)
		},
		Send: func(ctx context.Context, chunk []Attribute) ([]core.Outcome[struct{}], *core.Request, error) {
			body := setAttrsBody{MetaData: make(map[string]string, len(chunk)), AutoDelete: autoDelete}
			keys := make([]string, len(chunk))
			for i, a := range chunk {
				body.MetaData[a.Key], keys[i] = a.Value, a.Key
			}
			r := roomRequest(op, roomID, set, "username", username)
			r.Body = body
			return s.keyCall(ctx, r, keys)
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, items)
}

func (s *Service) deleteAttributes(ctx context.Context, op *catalog.Op, roomID, username string, keys []string, opts []option.Call) (*batch.Result[string, struct{}], error) {
	if err := checkMemberPath(op.ID, roomID, username); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "keys", Field: "keys",
		Key:   func(k string) string { return k },
		Check: func(k string) error { return checkAttrKey(op.ID, k) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := roomRequest(op, roomID, set, "username", username)
			r.Body = map[string][]string{"keys": chunk}
			return s.keyCall(ctx, r, chunk)
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, keys)
}

// keyCall runs an attribute write and reports each of its keys: done,
// refused with the server's reason, or left out of the answer.
func (s *Service) keyCall(ctx context.Context, r *core.Request, keys []string) ([]core.Outcome[struct{}], *core.Request, error) {
	res, err := core.Data[keyResults](ctx, s.c, r)
	if err != nil {
		return nil, r, err
	}
	done := make(map[string]bool, len(res.SuccessKeys))
	for _, k := range res.SuccessKeys {
		done[k] = true
	}
	out := make([]core.Outcome[struct{}], len(keys))
	for i, k := range keys {
		reason, refused := res.ErrorKeys[k]
		switch {
		case done[k]:
			out[i] = core.Accepted(struct{}{})
		case refused && reason == "":
			out[i] = core.Refused[struct{}](core.NoReason)
		case refused:
			out[i] = core.Refused[struct{}](reason)
		default:
			out[i] = core.Refused[struct{}](core.Omitted)
		}
	}
	return out, r, nil
}

func checkAttrKey(op, k string) error {
	if err := rules.ChatroomAttrKey(k); err != nil {
		return core.Invalid(op, "key", "%v", err)
	}
	return nil
}
