package easemob_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/moderation"
	"github.com/emquota/easemob/presence"
	"github.com/emquota/easemob/threads"
	"github.com/emquota/easemob/users"
)

// Fuzzing of the modules' loose decoders (their UnmarshalJSON methods):
// any input decodes or fails without panicking; a decoder reads the JSON
// value, not its spelling: the input re-encoded canonically (keys sorted,
// no spaces, numbers kept exact) decodes to the same value, or fails as
// the input did; and for the types whose JSON encoding their decoder
// reads back, decode(encode(x)) is x.
//
//	go test -run '^$' -fuzz FuzzUsersDecode -fuzztime 30s .
//
// The seeds are every documented example of the module's ops and each
// object and array inside them; testdata/fuzz holds found inputs.

// decoder makes a new value of one type, to decode into.
type decoder struct {
	name string
	new  func() any
	// roundTrip: the type's JSON encoding is what its decoder reads.
	roundTrip bool
}

func dec[T any](roundTrip bool) decoder {
	return decoder{name: reflect.TypeFor[T]().String(), new: func() any { return new(T) }, roundTrip: roundTrip}
}

// fuzzDecoders are the loosely decoded types by module.
var fuzzDecoders = map[string][]decoder{
	"users": {dec[users.User](false), dec[users.UserToken](false), dec[users.Favorite](false), dec[users.MuteRow](false),
		dec[users.MuteStatus](false), dec[users.PushSettings](false), dec[users.PushTemplate](true)},
	"groups": {dec[groups.Details](false), dec[groups.Group](false), dec[groups.JoinedGroup](false), dec[groups.Member](false),
		dec[groups.Mute](false), dec[groups.SharedFile](false)},
	"chatrooms": {dec[chatrooms.Chatroom](false), dec[chatrooms.Expiry](false), dec[chatrooms.Member](false),
		dec[chatrooms.Summary](false), dec[chatrooms.Updated](false)},
	"messages": {dec[messages.Conversation](false), dec[messages.Detection](false), dec[messages.Reaction](false),
		dec[messages.SearchHit](false)},
	"presence":   {dec[presence.Presence](false), dec[presence.Subscription](false), dec[presence.SubscriptionPage](false)},
	"threads":    {dec[threads.Thread](false)},
	"moderation": {dec[moderation.Keyword](false), dec[moderation.KeywordList](false), dec[moderation.TextCheck](false)},
}

// addExampleSeeds adds the examples of the module's ops, and every object
// and array in them, as seeds.
func addExampleSeeds(f *testing.F, module string) {
	field := map[string]string{"users": "Users", "groups": "Groups", "chatrooms": "Chatrooms", "messages": "Messages",
		"presence": "Presence", "threads": "Threads", "moderation": "Moderation"}[module]
	seen := map[string]bool{}
	add := func(b []byte) {
		if !seen[string(b)] {
			seen[string(b)] = true
			f.Add(b)
		}
	}
	for _, op := range catalog.Ops {
		if !strings.HasPrefix(op.SDK, field+".") || op.Example == "" {
			continue
		}
		add([]byte(op.Example))
		var v any
		if json.Unmarshal([]byte(op.Example), &v) != nil {
			continue
		}
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				b, _ := json.Marshal(x)
				add(b)
				for _, e := range x {
					walk(e)
				}
			case []any:
				b, _ := json.Marshal(x)
				add(b)
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
	}
	for _, s := range []string{`null`, `{}`, `[]`, `""`, `{"created":"x","count":"1e400"}`, `{"a":{"b":[`} {
		add([]byte(s))
	}
}

func fuzzDecode(f *testing.F, module string) {
	addExampleSeeds(f, module)
	decoders := fuzzDecoders[module]
	f.Fuzz(func(t *testing.T, b []byte) {
		canonical, hasCanonical := canonicalJSON(b)
		for _, d := range decoders {
			v := d.new()
			err := json.Unmarshal(b, v)
			if hasCanonical {
				w := d.new()
				cerr := json.Unmarshal(canonical, w)
				switch {
				case (err == nil) != (cerr == nil):
					t.Fatalf("%s: %q decodes with %v, its canonical form %s with %v", d.name, b, err, canonical, cerr)
				case err == nil:
					// Compared as canonical JSON: raw fields (Extra) and
					// text fields given an object keep the spelling they were given.
					cv, cw := normalized(v), normalized(w)
					if !bytes.Equal(cv, cw) {
						t.Fatalf("%s: %.300q and its canonical form decode differently:\n%.500s\n%.500s", d.name, b, cv, cw)
					}
				}
			}
			if err != nil || !d.roundTrip {
				continue
			}
			enc, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%s: decoded %q but cannot encode it: %v", d.name, b, err)
			}
			again := d.new()
			if err := json.Unmarshal(enc, again); err != nil {
				t.Fatalf("%s: cannot decode its own encoding %s: %v", d.name, enc, err)
			}
			enc2, _ := json.Marshal(again)
			if !bytes.Equal(enc, enc2) {
				t.Fatalf("%s: decode(encode(x)) changed x:\n%s\n%s", d.name, enc, enc2)
			}
		}
	})
}

// canonicalJSON re-encodes b with sorted keys, no spaces and its numbers
// as written, or reports that b is not one JSON value.
func canonicalJSON(b []byte) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || len(bytes.Trim(b[d.InputOffset():], " \t\r\n")) > 0 {
		return nil, false // not JSON, or more than one value
	}
	out, err := json.Marshal(v)
	return out, err == nil
}

// normalized is v's JSON encoding made canonical, JSON held in strings
// (a text field given an object keeps it verbatim) included.
func normalized(v any) []byte {
	enc, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(enc))
	d.UseNumber()
	var g any
	if d.Decode(&g) != nil {
		return nil
	}
	var walk func(any) any
	walk = func(x any) any {
		switch y := x.(type) {
		case map[string]any:
			for k, e := range y {
				y[k] = walk(e)
			}
		case []any:
			for i, e := range y {
				y[i] = walk(e)
			}
		case string:
			if t := strings.TrimSpace(y); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
				if c, ok := canonicalJSON([]byte(t)); ok {
					return string(c)
				}
			}
		}
		return x
	}
	out, _ := json.Marshal(walk(g))
	return out
}

func FuzzUsersDecode(f *testing.F)      { fuzzDecode(f, "users") }
func FuzzGroupsDecode(f *testing.F)     { fuzzDecode(f, "groups") }
func FuzzChatroomsDecode(f *testing.F)  { fuzzDecode(f, "chatrooms") }
func FuzzMessagesDecode(f *testing.F)   { fuzzDecode(f, "messages") }
func FuzzPresenceDecode(f *testing.F)   { fuzzDecode(f, "presence") }
func FuzzThreadsDecode(f *testing.F)    { fuzzDecode(f, "threads") }
func FuzzModerationDecode(f *testing.F) { fuzzDecode(f, "moderation") }

// pathSlot is a string argument of an op's method that lands in a path parameter.
type pathSlot struct {
	oc    opCall
	slot  int
	param string
}

// FuzzSDKPathValue puts any string in a path argument of any op's method:
// the method refuses it with ErrInvalidArgument before anything is sent,
// or the server receives it whole in its own path segment.
func FuzzSDKPathValue(f *testing.F) {
	calls, err := opCalls()
	if err != nil {
		f.Fatal(err)
	}
	var args []pathSlot
	for _, oc := range calls {
		if oc.op.Content == catalog.ContentMultipart {
			continue // no replayable body: one server per call would be needed
		}
		lay, ok := probe(f, oc)
		if !ok {
			continue
		}
		for i, w := range lay.strs {
			if w.in == "path" {
				args = append(args, pathSlot{oc, i, w.name})
			}
		}
	}
	for i := range args {
		for _, v := range badPathValues {
			f.Add(v, uint16(i))
		}
		f.Add("ok-value_1.2", uint16(i))
		f.Add("用户 名", uint16(i))
	}
	f.Fuzz(func(t *testing.T, v string, k uint16) {
		ps := args[int(k)%len(args)]
		run := runProbed(t, ps.oc, func(s *slots) { s.badStr, s.strVal = ps.slot, v })
		err, reqs, all := run.err, run.reqs, run.sent
		if errors.Is(err, easemob.ErrInvalidArgument) {
			if all > 0 {
				t.Fatalf("%s: %q refused after %d requests", ps.oc.op.ID, v, all)
			}
			return
		}
		if len(reqs) == 0 {
			t.Fatalf("%s: %q neither refused nor sent: %v", ps.oc.op.ID, v, err)
		}
		if got := reqs[0].find(ps.oc.op, v); got.in != "path" || got.name != ps.param {
			t.Fatalf("%s: %q sent as %s, not whole in path parameter %s", ps.oc.op.ID, v, reqs[0].path, ps.param)
		}
	})
}
