package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
)

// badPathValues would change the URL, or break a documented rule, in any
// path segment.
var badPathValues = map[string]string{
	"empty":         "",
	"dot":           ".",
	"dot-dot":       "..",
	"slash":         "a/b",
	"parent":        "../users",
	"backslash":     `a\b`,
	"question mark": "a?b=1",
	"hash":          "a#b",
	"escaped slash": "a%2Fb",
	"percent":       "100%",
	"comma":         "a,b",
	"NUL":           "a\x00b",
	"newline":       "a\nb",
	"DEL":           "a\x7fb",
	"very long":     strings.Repeat("a", 5000),
}

// badQueryValues are refused in a query value: escaping keeps anything else in place.
var badQueryValues = map[string]string{
	"NUL":       "a\x00b",
	"newline":   "a\r\nb",
	"very long": strings.Repeat("a", 5000),
}

// structuralQueryValues would change the URL if not escaped: the call
// must either refuse them or send them intact.
var structuralQueryValues = map[string]string{
	"ampersand":     "a&b=c",
	"hash":          "a#b",
	"question mark": "a?b",
	"escaped slash": "a%2Fb",
	"slash":         "../x",
	"comma":         "a,b",
}

// typedParams are path parameters no string argument feeds: the method
// takes a typed value (time, duration, an enum type) that cannot hold a
// bad string, or builds the value itself.
var typedParams = map[string]string{
	"push.SetSettings chattype":               "users.ChatKind, checked against the documented enum",
	"push.GetSettings chattype":               "users.ChatKind, checked against the documented enum",
	"push.GetStatistics startTime":            "time.Time",
	"push.GetStatistics endTime":              "time.Time",
	"messages.GetHistoryFile time":            "time.Time, formatted by the method",
	"presence.SetStatus status":               "presence.Status, checked against its values",
	"presence.GetGroupOnlineCount query_type": "presence.GroupKind, checked against its values",
	"presence.Subscribe expiry":               "time.Duration, formatted as seconds",
}

// optionalLists may be empty: the docs make the field optional.
var optionalLists = map[string]string{
	"chatrooms.SetUserTags tags": "an empty list clears the member's tags",
}

// chunked are the methods that split a list over the cap into several
// calls without being batch methods.
var chunked = map[string]string{
	"reactions.ListByMessages": "fetched in calls of 20, one after another",
}

// usernameFields are the body fields that carry user IDs, to which the
// documented username rule applies (1 to 64 bytes of a-z A-Z 0-9 _ . -).
var usernameFields = map[string]bool{
	"username": true, "usernames": true, "from": true, "owner": true, "newowner": true, "newadmin": true,
	"superadmin": true, "users": true, "targets": true, "check_list": true, "user": true, "userId": true,
}

// toUser are the ops whose body "to" (or "target") is a user ID.
var toUser = map[string]bool{
	catalog.MessagesSendToUsers.ID: true, catalog.MessagesImportToUser.ID: true, catalog.MessagesSendStreamToUser.ID: true,
}

// badUsernames break the documented username rule.
var badUsernames = map[string]string{
	"empty":     "",
	"slash":     "a/b",
	"space":     "a b",
	"non-ASCII": "用户",
	"65 bytes":  strings.Repeat("a", 65),
}

// optionalUser reports a user field that may be left empty: a message's
// sender (the server sends as admin) and an edit's editor.
func optionalUser(op *catalog.Op, field string) bool {
	return strings.HasSuffix(field, "from") && strings.HasPrefix(op.ID, "messages.") ||
		op.ID == catalog.MessagesModify.ID && field == "user"
}

// carriesUser reports a body field of op that holds user IDs.
func carriesUser(op *catalog.Op, field string) bool {
	switch {
	case strings.HasPrefix(op.ID, "translate."):
		return false // from and to are languages
	case strings.HasPrefix(op.ID, "moderation."):
		return false // userId is the operator a list records: free text ("v1" in the docs)
	}
	last := field[strings.LastIndex(field, ".")+1:]
	if last == "to" || last == "target" {
		return toUser[op.ID]
	}
	return usernameFields[last] || field == "$" && op.ID == catalog.PresenceUnsubscribe.ID
}

// TestBadInput runs, for every op's SDK method, each argument that lands
// in the path or query with values that would change the URL or break a
// documented rule, and each list argument empty and one over its cap: the
// call fails with ErrInvalidArgument, nothing reaches the wire (not even
// a token fetch) and no quota is spent.
func TestBadInput(t *testing.T) {
	calls, err := opCalls()
	require.NoError(t, err)
	covered := 0
	for _, oc := range calls {
		t.Run(oc.op.ID, func(t *testing.T) {
			lay, ok := probe(t, oc)
			if !ok {
				return
			}
			seen := map[string]bool{}
			for i, w := range lay.strs {
				switch w.in {
				case "path":
					seen[w.name] = true
					for name, v := range badPathValues {
						refused(t, oc, fmt.Sprintf("path %s %s", w.name, name), func(s *slots) { s.badStr, s.strVal = i, v })
						covered++
					}
				case "body":
					if carriesUser(oc.op, w.name) {
						for name, v := range badUsernames {
							if v == "" && optionalUser(oc.op, w.name) {
								continue
							}
							refused(t, oc, fmt.Sprintf("body %s %s", w.name, name), func(s *slots) { s.badStr, s.strVal = i, v })
							covered++
						}
					}
				case "query":
					for name, v := range badQueryValues {
						refused(t, oc, fmt.Sprintf("query %s %s", w.name, name), func(s *slots) { s.badStr, s.strVal = i, v })
						covered++
					}
					for name, v := range structuralQueryValues {
						keptInQuery(t, oc, lay, w.name, name, i, v)
						covered++
					}
				}
			}
			for l, w := range lay.lists {
				if w.in == "" {
					continue
				}
				field, _, _ := strings.Cut(w.name, ".")
				if w.in == "path" || requiredList(oc.op, field) {
					for _, n := range []int{-1, 0} {
						refused(t, oc, fmt.Sprintf("%s list %s of %d", w.in, w.name, n), func(s *slots) { s.badList, s.listLen = l, n })
						covered++
					}
				}
				if c := oc.op.Cap(field); c != nil && c.Kind == catalog.CapCount && c.Max > 0 {
					what := fmt.Sprintf("%s list %s of %d (cap %d)", w.in, w.name, c.Max+1, c.Max)
					over := func(s *slots) { s.badList, s.listLen = l, c.Max+1 }
					if _, ok := chunked[oc.op.ID]; ok || oc.batch {
						split(t, oc, what, over)
					} else {
						refused(t, oc, what, over)
					}
					covered++
				}
			}
			for _, p := range oc.op.Params {
				if !seen[p.Name] {
					_, typed := typedParams[oc.op.ID+" "+p.Name]
					assert.True(t, typed, "%s: no argument lands in path parameter %s", oc.op.ID, p.Name)
				}
			}
		})
	}
	t.Logf("%d ops, %d bad calls refused", len(calls), covered)
}

func keys(q url.Values) []string {
	var out []string
	for k := range q {
		out = append(out, k)
	}
	return out
}

// requiredList reports a body list the op's schema or caps say must not be empty.
func requiredList(op *catalog.Op, field string) bool {
	if _, ok := optionalLists[op.ID+" "+field]; ok {
		return false
	}
	if c := op.Cap(field); c != nil && c.Kind == catalog.CapCount && c.Min > 0 {
		return true
	}
	if f := op.Body.Field(field); f != nil {
		return f.Required || f.NonEmpty
	}
	return field == "$"
}

// probeRun is one call of oc against a probe server of its own, with the
// slots set says.
type probeRun struct {
	c    *easemob.Client
	err  error
	reqs []probeRequest // the op's requests
	sent int            // every request, token fetches included
}

func runProbed(t *testing.T, oc opCall, set func(*slots)) probeRun {
	t.Helper()
	srv := newProbeServer(t, oc.op)
	c := srv.client(t)
	s := newSlots()
	set(s)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := oc.call(ctx, c, s)
	reqs, sent := srv.requests()
	return probeRun{c: c, err: err, reqs: reqs, sent: sent}
}

// refused runs oc with the slots bad sets and requires a typed refusal
// before anything was sent or spent.
func refused(t *testing.T, oc opCall, what string, bad func(*slots)) {
	t.Helper()
	run := runProbed(t, oc, bad)
	err, sent, c := run.err, run.sent, run.c
	if !assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "%s: %s", oc.op.ID, what) {
		return
	}
	var v *easemob.ValidationError
	assert.True(t, errors.As(err, &v), "%s: %s: %T is not a *ValidationError", oc.op.ID, what, err)
	assert.Zero(t, sent, "%s: %s: requests reached the wire", oc.op.ID, what)
	assert.Empty(t, c.Stats(), "%s: %s: quota was spent", oc.op.ID, what)
	lim, err := c.Limiter(catalog.Groups[oc.op.Group].Group)
	require.NoError(t, err)
	assert.Zero(t, lim.Status().Grants, "%s: %s: the limiter granted quota", oc.op.ID, what)
}

// split runs oc with a list over the op's cap, which a batch method splits:
// more than one call, none refused for its input.
func split(t *testing.T, oc opCall, what string, over func(*slots)) {
	t.Helper()
	run := runProbed(t, oc, over)
	assert.NotErrorIs(t, run.err, easemob.ErrInvalidArgument, "%s: %s", oc.op.ID, what)
	assert.GreaterOrEqual(t, len(run.reqs), 2, "%s: %s: not split", oc.op.ID, what)
}

// keptInQuery: a value with URL syntax in a query argument is refused, or
// reaches the server intact as that one parameter's value.
func keptInQuery(t *testing.T, oc opCall, lay layout, key, what string, slot int, v string) {
	t.Helper()
	run := runProbed(t, oc, func(s *slots) { s.badStr, s.strVal = slot, v })
	err, reqs := run.err, run.reqs
	if errors.Is(err, easemob.ErrInvalidArgument) {
		assert.Empty(t, reqs, "%s: query %s %s: refused after sending", oc.op.ID, key, what)
		return
	}
	if !assert.Len(t, reqs, 1, "%s: query %s %s: %v", oc.op.ID, key, what, err) {
		return
	}
	got := strings.Join(reqs[0].query[key], ",")
	assert.Contains(t, got, v, "%s: query %s %s: the server read %q", oc.op.ID, key, what, got)
	assert.ElementsMatch(t, keys(lay.query), keys(reqs[0].query), "%s: query %s %s changed the parameters", oc.op.ID, key, what)
}
