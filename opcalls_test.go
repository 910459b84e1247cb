package easemob_test

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/callbacks"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/moderation"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/presence"
	"github.com/emquota/easemob/threads"
	"github.com/emquota/easemob/users"
)

// This file is the valid-call table the fault and bad-input suites share:
// for every catalog op with an SDK method, a way to call that method with
// arguments it accepts. The arguments are built by reflection from the
// method's signature; every plain string and every []string is a "slot"
// whose value the suite chooses (a marker by default, a bad value to test
// input checks). Types that are not strings get a valid value from
// fills, and the few methods whose arguments reflection cannot build
// have an entry in callArgs.

// slots hands out the values of one call's string and list arguments, in
// argument order. Strs and lists are numbered separately.
type slots struct {
	strs, lists int
	// badStr, when >= 0, is the string slot that takes strVal.
	badStr int
	strVal string
	// badList, when >= 0, is the list slot whose length is listLen.
	badList int
	listLen int
	// items is the length of every other list (1 when 0).
	items int
	// mark prefixes the markers, so that two calls' markers differ.
	mark string
	// owner is, by string slot, the list slot it is an item of (-1: none).
	owner []int
	in    int // the list slot being filled, or -1
	// userToken is the token a call made with a user's token sends.
	userToken string
}

// newSlots returns slots that hand out markers only.
func newSlots() *slots { return &slots{badStr: -1, badList: -1, mark: "71", in: -1} }

// marker is the value of string slot i: digits, so a valid username and
// id of any kind (some ids are numbers).
func (s *slots) marker(i int) string { return fmt.Sprintf("%s%03d1", s.mark, i) }

// Str is the next string slot's value.
func (s *slots) Str() string {
	i := s.strs
	s.strs++
	s.owner = append(s.owner, s.in)
	if i == s.badStr {
		return s.strVal
	}
	return s.marker(i)
}

// Items is the next list slot: it calls item for each of its items
// (whose string slots belong to the list) and returns their number.
func (s *slots) Items(item func(i int)) int {
	l := s.lists
	s.lists++
	n := max(s.items, 1)
	if l == s.badList {
		n = s.listLen
	}
	outer := s.in
	for i := range n {
		s.in = l
		item(i)
	}
	s.in = outer
	return n
}

// List is the next list slot, of strings; length -1 gives nil.
func (s *slots) List() []string {
	var out []string
	if s.Items(func(int) { out = append(out, s.Str()) }) < 0 {
		return nil
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// opCall calls one op's SDK method.
type opCall struct {
	op            *catalog.Op
	field, method string
	args          func(*slots) []any
	// batch: the method returns a *batch.Result.
	batch bool
}

// call runs the method with the arguments s gives and opts, returning its
// result (nil for a method that returns only an error) and error.
func (oc opCall) call(ctx context.Context, c *easemob.Client, s *slots, opts ...option.Call) (any, error) {
	m := reflect.ValueOf(c).Elem().FieldByName(oc.field).MethodByName(oc.method)
	in := []reflect.Value{reflect.ValueOf(ctx)}
	mt := m.Type()
	for i, a := range oc.args(s) {
		t := mt.In(i + 1)
		if a == nil {
			in = append(in, reflect.Zero(t))
			continue
		}
		in = append(in, reflect.ValueOf(a).Convert(t))
	}
	for _, o := range opts {
		in = append(in, reflect.ValueOf(o))
	}
	out := m.Call(in)
	err, _ := out[len(out)-1].Interface().(error)
	if len(out) == 1 {
		return nil, err
	}
	return out[0].Interface(), err
}

var (
	stringType = reflect.TypeFor[string]()
	listType   = reflect.TypeFor[[]string]()
	ctxType    = reflect.TypeFor[context.Context]()
	errType    = reflect.TypeFor[error]()
)

// opCalls returns the call of every op that has an SDK method, in catalog
// order, or the ops it cannot call.
func opCalls() ([]opCall, error) {
	client := reflect.TypeFor[easemob.Client]()
	var out []opCall
	var missing []string
	for _, op := range catalog.Ops {
		if op.SDK == "" {
			continue
		}
		field, method, _ := strings.Cut(op.SDK, ".")
		f, ok := client.FieldByName(field)
		if !ok {
			missing = append(missing, op.ID)
			continue
		}
		m, ok := f.Type.MethodByName(method)
		if !ok {
			missing = append(missing, op.ID)
			continue
		}
		oc := opCall{op: op, field: field, method: method}
		mt := m.Type // with the receiver first
		if mt.NumIn() < 2 || mt.In(1) != ctxType || !mt.IsVariadic() || mt.Out(mt.NumOut()-1) != errType {
			missing = append(missing, op.ID+" (signature "+mt.String()+")")
			continue
		}
		if mt.NumOut() == 2 {
			oc.batch = strings.HasPrefix(mt.Out(0).String(), "*batch.Result[")
		}
		if build, ok := callArgs[op.ID]; ok {
			oc.args = build
		} else {
			var types []reflect.Type
			for i := 2; i < mt.NumIn()-1; i++ {
				types = append(types, mt.In(i))
			}
			var err error
			if oc.args, err = defaultArgs(types); err != nil {
				missing = append(missing, op.ID+": "+err.Error())
				continue
			}
		}
		out = append(out, oc)
	}
	if len(missing) > 0 {
		return out, fmt.Errorf("no valid call for %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// defaultArgs builds arguments of the given types: a slot for each string
// and []string, the fills value for other types.
func defaultArgs(types []reflect.Type) (func(*slots) []any, error) {
	for _, t := range types {
		if t != stringType && t != listType && fills[t] == nil {
			return nil, fmt.Errorf("no fill for %s", t)
		}
	}
	return func(s *slots) []any {
		out := make([]any, len(types))
		for i, t := range types {
			switch t {
			case stringType:
				out[i] = s.Str()
			case listType:
				out[i] = s.List()
			default:
				out[i] = fills[t](s)
			}
		}
		return out
	}, nil
}

func fill[T any](f func(*slots) T) (reflect.Type, func(*slots) any) {
	return reflect.TypeFor[T](), func(s *slots) any { return f(s) }
}

// fills are valid values of the argument types that are not strings,
// taken from the wire cases; users named in them are slots.
var fills = func() map[reflect.Type]func(*slots) any {
	m := map[reflect.Type]func(*slots) any{}
	add := func(t reflect.Type, f func(*slots) any) { m[t] = f }
	at := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	add(fill(func(*slots) bool { return false }))
	add(fill(func(*slots) time.Duration { return time.Minute }))
	add(fill(func(*slots) time.Time { return at }))
	add(fill(func(*slots) *time.Location { return time.UTC }))
	add(fill(func(*slots) io.Writer { return io.Discard }))
	add(fill(func(*slots) io.Reader { return strings.NewReader("file bytes") }))
	add(fill(func(*slots) map[string]string { return map[string]string{"key1": "value1"} }))
	// users
	add(fill(func(s *slots) users.NewUser { return users.NewUser{Username: s.Str(), Password: "pw123"} }))
	add(fill(func(s *slots) []users.NewUser {
		var out []users.NewUser
		s.Items(func(int) { out = append(out, users.NewUser{Username: s.Str(), Password: "pw123"}) })
		return out
	}))
	add(fill(func(*slots) users.ListParams { return users.ListParams{Limit: 2} }))
	add(fill(func(*slots) users.ChatKind { return users.UserChat }))
	add(fill(func(*slots) users.PushUpdate { return users.PushUpdate{} }))
	add(fill(func(*slots) users.PushTemplate { return users.PushTemplate{Name: "tpl1"} }))
	add(fill(func(*slots) users.PushPlatform { return users.PushPlatform("") }))
	add(fill(func(*slots) users.PushBinding {
		return users.PushBinding{DeviceID: "d", DeviceToken: "t", NotifierName: "n"}
	}))
	add(fill(func(*slots) users.NoDisturb { return users.NoDisturb{} }))
	add(fill(func(*slots) users.NewFavorite { return users.NewFavorite{Data: "d"} }))
	add(fill(func(s *slots) []users.NewFavorite {
		var out []users.NewFavorite
		s.Items(func(int) { out = append(out, users.NewFavorite{ID: s.Str(), Data: "d"}) })
		return out
	}))
	add(fill(func(*slots) users.MuteUpdate { return users.MuteUpdate{Chat: users.MuteFor(time.Hour)} }))
	add(fill(func(*slots) users.MuteListParams { return users.MuteListParams{} }))
	add(fill(func(*slots) users.FavoriteListParams { return users.FavoriteListParams{} }))
	add(fill(func(*slots) users.DisplayStyle { return users.DisplayStyle(0) }))
	add(fill(func(*slots) users.ContactListParams { return users.ContactListParams{} }))
	add(fill(func(*slots) users.BlockListParams { return users.BlockListParams{} }))
	add(fill(func(*slots) users.Attributes { return users.Attributes{"nickname": "n"} }))
	add(fill(func(s *slots) []users.PushNickname {
		var out []users.PushNickname
		s.Items(func(int) { out = append(out, users.PushNickname{Username: s.Str(), Nickname: "n"}) })
		return out
	}))
	// messages
	add(fill(func(*slots) messages.Message { return messages.Text("hello") }))
	add(fill(func(*slots) messages.ChatType { return messages.Chat }))
	add(fill(func(*slots) messages.Lifetime { return messages.LifetimeForever }))
	add(fill(func(*slots) messages.DetailParams { return messages.DetailParams{} }))
	add(fill(func(*slots) messages.SearchQuery { return messages.SearchQuery{Keywords: []string{"word"}} }))
	add(fill(func(s *slots) messages.Edit { return messages.Edit{User: s.Str(), Msg: messages.Text("edited")} }))
	add(fill(func(s *slots) messages.RecallItem {
		return messages.RecallItem{MsgID: s.Str(), To: s.Str(), ChatType: messages.Chat, From: s.Str()}
	}))
	add(fill(func(s *slots) []messages.RecallItem {
		var out []messages.RecallItem
		s.Items(func(int) {
			out = append(out, messages.RecallItem{MsgID: s.Str(), To: s.Str(), ChatType: messages.Chat, From: s.Str()})
		})
		return out
	}))
	add(fill(func(s *slots) messages.Import {
		return messages.Import{From: s.Str(), To: s.Str(), Msg: messages.Text("old")}
	}))
	add(fill(func(s *slots) messages.StreamParams { return messages.StreamParams{From: s.Str(), To: s.Str()} }))
	add(fill(func(*slots) messages.Upload {
		return messages.Upload{Name: "a.png", Content: strings.NewReader("png bytes")}
	}))
	// groups
	add(fill(func(s *slots) groups.NewGroup { return groups.NewGroup{Name: "g", Owner: s.Str(), MaxUsers: 300} }))
	add(fill(func(*slots) groups.ListParams { return groups.ListParams{Limit: 2} }))
	add(fill(func(*slots) groups.JoinedParams { return groups.JoinedParams{PageNum: 1, PageSize: 20} }))
	add(fill(func(*slots) groups.MembersParams { return groups.MembersParams{PageNum: 1, PageSize: 10} }))
	add(fill(func(*slots) groups.FilesParams { return groups.FilesParams{PageNum: 1, PageSize: 10} }))
	add(fill(func(*slots) groups.Changes { name := "g2"; return groups.Changes{Name: &name} }))
	add(fill(func(s *slots) []groups.MemberAttributes {
		var out []groups.MemberAttributes
		s.Items(func(int) {
			out = append(out, groups.MemberAttributes{Username: s.Str(), Attributes: map[string]string{"k": "v"}})
		})
		return out
	}))
	// chatrooms
	add(fill(func(s *slots) chatrooms.NewChatroom {
		return chatrooms.NewChatroom{Name: "r", Description: "d", Owner: s.Str()}
	}))
	add(fill(func(*slots) chatrooms.ListParams { return chatrooms.ListParams{} }))
	add(fill(func(*slots) chatrooms.PageParams { return chatrooms.PageParams{} }))
	add(fill(func(*slots) chatrooms.Changes { return chatrooms.Changes{Name: "r2"} }))
	add(fill(func(*slots) chatrooms.AutoDelete { return chatrooms.AutoDelete("") }))
	// presence, threads, moderation, callbacks
	add(fill(func(*slots) presence.Status { return presence.Online }))
	add(fill(func(*slots) presence.PageParams { return presence.PageParams{} }))
	add(fill(func(*slots) presence.GroupKind { return presence.ChatGroup }))
	add(fill(func(s *slots) threads.NewThread {
		return threads.NewThread{GroupID: s.Str(), Name: "t", MessageID: s.Str(), Owner: s.Str()}
	}))
	add(fill(func(*slots) threads.ListParams { return threads.ListParams{} }))
	add(fill(func(*slots) threads.MemberParams { return threads.MemberParams{} }))
	add(fill(func(*slots) moderation.NewList {
		return moderation.NewList{Name: "list1", Scope: moderation.AllScopes, Disposition: moderation.Reject}
	}))
	add(fill(func(*slots) moderation.ListChange {
		return moderation.ListChange{Name: "list2", Scope: moderation.AllScopes, Disposition: moderation.Reject}
	}))
	add(fill(func(*slots) moderation.WordQuery { return moderation.WordQuery{} }))
	add(fill(func(*slots) moderation.ListQuery { return moderation.ListQuery{} }))
	add(fill(func(*slots) callbacks.Redelivery { return callbacks.Redelivery{Date: "202109091440"} }))
	return m
}()

// callArgs are the calls the fills cannot build: Send and Broadcast take
// an interface whose concrete type picks the op.
var callArgs = map[string]func(*slots) []any{
	catalog.PushSetReceiverTemplate.ID: func(s *slots) []any {
		tok := s.userToken
		if tok == "" {
			tok = "YWMt-user-token"
		}
		return []any{s.Str(), tok, "tpl1"}
	},
	catalog.MessagesSendToUsers.ID: func(s *slots) []any {
		return []any{messages.UsersTarget{From: s.Str(), Users: s.List()}, messages.Text("hi")}
	},
	catalog.MessagesSendToGroups.ID: func(s *slots) []any {
		return []any{messages.GroupsTarget{From: s.Str(), Groups: s.List()}, messages.Text("hi")}
	},
	catalog.MessagesSendToChatrooms.ID: func(s *slots) []any {
		return []any{messages.ChatroomsTarget{From: s.Str(), Chatrooms: s.List()}, messages.Text("hi")}
	},
	catalog.MessagesSendToGroupMembers.ID: func(s *slots) []any {
		return []any{messages.GroupMembersTarget{From: s.Str(), Group: s.Str(), Users: s.List()}, messages.Text("hi")}
	},
	catalog.MessagesSendToChatroomMembers.ID: func(s *slots) []any {
		return []any{messages.ChatroomMembersTarget{From: s.Str(), Chatroom: s.Str(), Users: s.List()}, messages.Text("hi")}
	},
	catalog.MessagesBroadcastToChatrooms.ID: func(s *slots) []any {
		return []any{messages.ChatroomsBroadcast{From: s.Str()}, messages.Text("hi")}
	},
	catalog.MessagesBroadcastToAllUsers.ID: func(s *slots) []any {
		return []any{messages.AllUsers(s.Str()), messages.Text("hi")}
	},
	catalog.MessagesBroadcastToOnlineUsers.ID: func(s *slots) []any {
		return []any{messages.OnlineUsers(s.Str()), messages.Text("hi")}
	},
}

// batchItems returns the items of a *batch.Result held in v, or false.
func batchItems(v any) ([]batchItem, bool) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, false
	}
	items := rv.Elem().FieldByName("Items")
	if !items.IsValid() {
		return nil, false
	}
	out := make([]batchItem, items.Len())
	for i := range out {
		it := items.Index(i)
		out[i] = batchItem{
			Status: it.FieldByName("Status").Interface().(batch.Status),
			Reason: it.FieldByName("Reason").String(),
		}
		if e := it.FieldByName("Err"); !e.IsNil() {
			out[i].Err = e.Interface().(error)
		}
	}
	return out, true
}

// batchItem is what the suites read of one batch.Item.
type batchItem struct {
	Status batch.Status
	Reason string
	Err    error
}
