package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const moduleRoot = "../../.."

func readSource(t *testing.T, name string) source {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot, "data", name))
	require.NoError(t, err)
	return source{name: "data/" + name, data: data}
}

// TestGeneratedFilesUpToDate is the staleness check: the committed files must
// be exactly what the two data files generate.
func TestGeneratedFilesUpToDate(t *testing.T) {
	files, err := generate(readSource(t, "quotas.json"), readSource(t, "endpoints.json"))
	require.NoError(t, err)
	require.ElementsMatch(t, []string{catalogFile, limitsFile, opsFile}, keys(files))
	for name, got := range files {
		want, err := os.ReadFile(filepath.Join(moduleRoot, filepath.FromSlash(name)))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s is stale: run go generate ./...", name)
	}
}

// validQuotas and validEndpoints are small data files that pass validation;
// the cases below break them one way each.
const validQuotas = `{
  "about": ["test"],
  "groups": [
    {"name": "users.get", "limits": [{"count": 100, "window": "1s", "unit": "calls"}], "note": "n"},
    {"name": "conversations.delete", "limits": [
      {"count": 5, "window": "1m", "per": "username", "unit": "calls"},
      {"count": 100, "window": "1s", "unit": "calls"}], "note": "n"},
    {"name": "messages.send_users", "limits": [{"count": 6000, "window": "1m", "unit": "messages"}], "note": "n"}
  ],
  "ops": [
    {"op": "users.Get", "method": "GET", "path": "/users/{username}", "group": "users.get", "sdk": "Users.Get",
     "seed": {"module": "m", "name": "获取单个用户", "method": "GET", "path": "/{org_name}/{app_name}/users/{username}", "quota": "100 次/秒/App Key"}},
    {"op": "users.GetAgain", "method": "GET", "path": "/users/{name}", "group": "users.get", "variant_of": "users.Get"},
    {"op": "conversations.Delete", "method": "DELETE", "path": "/users/{username}/user_channel", "group": "conversations.delete", "source": "doc"},
    {"op": "messages.SendToUsers", "method": "POST", "path": "/messages/users", "group": "messages.send_users", "message_units": "to", "source": "doc"}
  ]
}`

const validEndpoints = `{
  "about": "test",
  "conventions": {"auth": "a"},
  "operations": [
    {"op": "users.Get", "title": "获取单个用户详情", "method": "GET", "path": "/users/{username}", "auth": "app", "content_type": "none",
     "select": {"by": "default"},
     "response_kind": "json", "synthesized": false, "example_source": "s", "example_response": {"b": 1, "a": [2, 3]}},
    {"op": "users.GetAgain", "title": "t", "method": "GET", "path": "/users/{name}", "auth": "app_or_user", "content_type": "none",
     "path_params": {"name": {"pattern": "^[a-z]+$"}},
     "select": {"by": "header", "name": "thumbnail", "value": "true"}, "headers": {"required": {"thumbnail": "boolean"}},
     "response_kind": "binary", "synthesized": false, "example_source": "s", "example_response": null},
    {"op": "conversations.Delete", "title": "t", "method": "DELETE", "path": "/users/{username}/user_channel", "auth": "app", "content_type": "json",
     "body": {"kind": "object", "required": {"to": "string[]"}, "optional": {"b": "integer", "a": "string"}, "enums": {"b": [0, 1]}},
     "caps": [{"in": "body", "name": "to", "kind": "count", "min": 1, "max": 3, "severity": "error"}],
     "response_kind": "json", "synthesized": true, "example_source": "s", "example_response": [1]},
    {"op": "messages.SendToUsers", "title": "发送单聊消息", "method": "POST", "path": "/messages/users", "auth": "app", "content_type": "json",
     "body": {"kind": "object", "required": {"to": "string[]", "type": "string"}, "enums": {"type": ["txt"]}},
     "caps": [{"in": "body", "name": "to", "kind": "count", "min": 1, "max": 600, "severity": "error"},
              {"in": "body", "name": "type", "kind": "count", "max": 1, "severity": "warn"}],
     "response_kind": "json", "synthesized": false, "example_source": "s", "example_response": {"data": {}}}
  ]
}`

func generateValid(quotas, endpoints string) (map[string][]byte, error) {
	return generate(source{"quotas.json", []byte(quotas)}, source{"endpoints.json", []byte(endpoints)})
}

// squash undoes gofmt's alignment and comment wrapping, so expectations
// can be written on one line.
func squash(b []byte) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(string(b), "\t// ", " ")), " ")
}

func TestGenerateValidData(t *testing.T) {
	files, err := generateValid(validQuotas, validEndpoints)
	require.NoError(t, err)
	cat := squash(files[catalogFile])
	for _, want := range []string{
		"GroupUsersGet GroupID = iota",
		`{Count: 5, Window: time.Minute, Per: "username", Unit: ratelimit.Calls}`,
		`UsersGet = &Op{ ID: "users.Get", Title: "获取单个用户详情", Method: "GET", Path: "/users/{username}", ` +
			`Params: []PathParam{{Name: "username"}}, Group: GroupUsersGet, Auth: AuthApp, Content: ContentNone, ` +
			"Select: Selector{By: SelectDefault}, Example: `{\"b\":1,\"a\":[2,3]}`, SDK: \"Users.Get\", }",
		"Params: []PathParam{{Name: \"name\", Pattern: `^[a-z]+$`}}",
		`Select: Selector{By: SelectHeader, Field: "thumbnail", Value: "true"}, Headers: []Field{ {Name: "thumbnail", Type: TypeBoolean, Required: true}, }, Binary: true, }`,
		// Required first, then optional, each in the file's order (b before a).
		`Fields: []Field{ {Name: "to", Type: TypeStrings, Required: true}, {Name: "b", Type: TypeInteger, Enum: []string{"0", "1"}}, {Name: "a", Type: TypeString}, }`,
		"Example: `[1]`, Synthesized: true,",
		`{In: InBody, Name: "to", Kind: CapCount, Min: 1, Max: 3},`,
		`{In: InBody, Name: "to", Kind: CapCount, Min: 1, Max: 600, Messages: true}, {In: InBody, Name: "type", Kind: CapCount, Max: 1, Warn: true},`,
		`case "messages.SendToUsers": return MessagesSendToUsers, true`,
	} {
		assert.Contains(t, cat, want)
	}
	lim := squash(files[limitsFile])
	assert.Contains(t, lim, `GroupConversationsDelete = "conversations.delete"`)
	assert.Contains(t, lim, "allows 5 calls/min per username and 100 calls/s per App Key.")
	assert.Contains(t, lim, "Used by Client.Users.Get (users.Get, 获取单个用户) and users.GetAgain (t).")
}

func TestValidationRejects(t *testing.T) {
	const q, e = "quotas", "endpoints"
	for _, tc := range []struct {
		name     string
		file     string
		old, new string
		wantErr  string
	}{
		{"missing group", q,
			`"group": "users.get", "variant_of"`, `"group": "users.gone", "variant_of"`,
			`quotas.json: op "users.GetAgain": group "users.gone" is not defined`},
		{"same method and path in two groups", q,
			`"method": "GET", "path": "/users/{name}", "group": "users.get", "variant_of": "users.Get"`,
			`"method": "DELETE", "path": "/users/{name}/user_channel", "group": "users.get", "source": "x"`,
			"same method and path"},
		{"zero count", q,
			`{"count": 100, "window": "1s", "unit": "calls"}], "note"`, `{"count": 0, "window": "1s", "unit": "calls"}], "note"`,
			`group "users.get" limit 0: count must be positive, got 0`},
		{"zero window", q,
			`"count": 5, "window": "1m"`, `"count": 5, "window": "0s"`,
			"window must be positive"},
		{"unknown unit", q,
			`"window": "1m", "per": "username", "unit": "calls"`, `"window": "1m", "per": "username", "unit": "bytes"`,
			"unit must be calls or messages"},
		{"per is not a path parameter", q,
			`"per": "username"`, `"per": "user_id"`,
			`limit per "user_id", which is not a path parameter`},
		{"unused group", q,
			`"group": "conversations.delete",`, `"group": "users.get",`,
			`group "conversations.delete" is not used by any op`},
		{"duplicate op", q,
			`"op": "users.GetAgain"`, `"op": "users.Get"`,
			`op "users.Get": defined twice`},
		{"no seed, variant or source", q,
			`"group": "conversations.delete", "source": "doc"`, `"group": "conversations.delete"`,
			"needs exactly one of seed, variant_of or source"},
		{"variant of an op without a seed row", q,
			`"variant_of": "users.Get"`, `"variant_of": "conversations.Delete"`,
			"which has no seed row"},
		{"unknown field", q,
			`"note": "n"}`, `"notes": "n"}`,
			`quotas.json: decode: json: unknown field "notes"`},
		{"caps live in endpoints.json", q,
			`"source": "doc"}`, `"source": "doc", "caps": []}`,
			`unknown field "caps"`},
		{"bad sdk", q,
			`"sdk": "Users.Get"`, `"sdk": "users.get"`,
			`op "users.Get": sdk "users.get" must be Field.Method`},
		{"message_units on a group without messages", q,
			`"group": "conversations.delete", "source"`, `"group": "conversations.delete", "message_units": "to", "source"`,
			`op "conversations.Delete": message_units "to", but group "conversations.delete" counts no messages`},
		{"missing message_units", q,
			`"message_units": "to", `, ``,
			`op "messages.SendToUsers": group "messages.send_users" counts messages and the op has body count caps (to, type): set message_units`},
		{"message_units not a cap", q,
			`"message_units": "to"`, `"message_units": "users"`,
			`message_units "users" is not a body count cap of the op (it has to, type)`},
		{"op only in quotas.json", e,
			`"op": "conversations.Delete"`, `"op": "conversations.Remove"`,
			`op "conversations.Delete": in quotas.json but not in endpoints.json`},
		{"op only in endpoints.json", q,
			`"op": "conversations.Delete"`, `"op": "conversations.Remove"`,
			`op "conversations.Delete": in endpoints.json but not in quotas.json`},
		{"method mismatch", e,
			`"method": "POST", "path": "/messages/users"`, `"method": "PUT", "path": "/messages/users"`,
			`op "messages.SendToUsers": method POST in quotas.json but PUT in endpoints.json`},
		{"path mismatch", e,
			`"path": "/messages/users", "auth"`, `"path": "/messages/user", "auth"`,
			`op "messages.SendToUsers": path /messages/users in quotas.json but /messages/user in endpoints.json`},
		{"unknown endpoint key", e,
			`"example_source": "s", "example_response": [1]`, `"example_sources": "s", "example_response": [1]`,
			`endpoints.json: decode: json: unknown field "example_sources"`},
		{"shared route without select", e,
			`"select": {"by": "default"},`, ``,
			`op "users.Get": shares GET /users/{} with others but has no select rule`},
		{"select on a lone op", e,
			`"response_kind": "json", "synthesized": true`, `"select": {"by": "default"}, "response_kind": "json", "synthesized": true`,
			`op "conversations.Delete": has a select rule but is alone`},
		{"select taking a key it has no use for", e,
			`{"by": "default"}`, `{"by": "default", "value": "x"}`,
			"select: default does not take value"},
		{"cap on an undeclared field", e,
			`"name": "to", "kind": "count", "min": 1, "max": 3`, `"name": "too", "kind": "count", "min": 1, "max": 3`,
			`op "conversations.Delete": cap "too": not a body field`},
		{"cap min above max", e,
			`"min": 1, "max": 3`, `"min": 4, "max": 3`,
			`cap "to": min 4 above max 3`},
		{"unknown type", e,
			`"optional": {"b": "integer"`, `"optional": {"b": "int"`,
			`body: "b": unknown type "int"`},
		{"field twice", e,
			`"optional": {"b": "integer", "a": "string"}`, `"optional": {"b": "integer", "b": "string"}`,
			`"b" given twice`},
		{"enum of another type", e,
			`"enums": {"b": [0, 1]}`, `"enums": {"b": ["0", "1"]}`,
			`enum of "b": values do not fit the type integer`},
		{"enum of no field", e,
			`"enums": {"type": ["txt"]}`, `"enums": {"kind": ["txt"]}`,
			`enum of "kind" is not a field`},
		{"binary with an example", e,
			`"response_kind": "binary", "synthesized": false, "example_source": "s", "example_response": null`,
			`"response_kind": "binary", "synthesized": false, "example_source": "s", "example_response": {}`,
			"a binary response has no example_response"},
		{"path param not in the path", e,
			`"path_params": {"name"`, `"path_params": {"nom"`,
			`path_params: "nom" is not a parameter of /users/{name}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			quotas, endpoints := validQuotas, validEndpoints
			target := &quotas
			if tc.file == e {
				target = &endpoints
			}
			bad := strings.Replace(*target, tc.old, tc.new, 1)
			require.NotEqual(t, *target, bad, "the case did not change the data")
			*target = bad
			_, err := generateValid(quotas, endpoints)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
}

// TestValidationReportsEverything: one run names the faults of both files
// and of their join, not just the first.
func TestValidationReportsEverything(t *testing.T) {
	quotas := strings.Replace(validQuotas, `"sdk": "Users.Get"`, `"sdk": "get"`, 1)
	endpoints := strings.Replace(validEndpoints, `"auth": "app_or_user"`, `"auth": "root"`, 1)
	endpoints = strings.Replace(endpoints, `"method": "POST", "path": "/messages/users"`, `"method": "PUT", "path": "/messages/users"`, 1)
	_, err := generateValid(quotas, endpoints)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `quotas.json: op "users.Get": sdk "get"`)
	assert.Contains(t, err.Error(), `endpoints.json: op "users.GetAgain": auth "root"`)
	assert.Contains(t, err.Error(), `op "messages.SendToUsers": method POST in quotas.json but PUT`)
}

// TestReservedCoversCatalog: an op or group may not generate a name the
// hand-written part of package catalog declares.
func TestReservedCoversCatalog(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(moduleRoot, "internal", "catalog", "catalog.go"), nil, 0)
	require.NoError(t, err)
	n := 0
	for name, obj := range f.Scope.Objects {
		if ast.IsExported(name) && obj.Kind != ast.Fun {
			assert.True(t, reserved[name], "catalog.%s is not in reserved", name)
			n++
		}
	}
	assert.Greater(t, n, 30, "the check saw the declarations")
}

func TestNamedTypesKeepFileOrder(t *testing.T) {
	var n namedTypes
	require.NoError(t, json.Unmarshal([]byte(`{"zeta": "string", "alpha": "integer", "mid": "object[]"}`), &n))
	assert.Equal(t, namedTypes{{"zeta", "string"}, {"alpha", "integer"}, {"mid", "object[]"}}, n)
	assert.Error(t, json.Unmarshal([]byte(`["string"]`), new(namedTypes)))
	assert.Error(t, json.Unmarshal([]byte(`{"a": 1}`), new(namedTypes)))
}

func TestEnumValues(t *testing.T) {
	var v enumValues
	require.NoError(t, json.Unmarshal([]byte(`[0, 1.5, -2]`), &v))
	assert.Equal(t, enumValues{values: []string{"0", "1.5", "-2"}, numbers: true}, v)
	v = enumValues{}
	require.NoError(t, json.Unmarshal([]byte(`["a", "b"]`), &v))
	assert.Equal(t, enumValues{values: []string{"a", "b"}}, v)
	assert.ErrorContains(t, json.Unmarshal([]byte(`["a", 1]`), new(enumValues)), "mixes")
	assert.Error(t, json.Unmarshal([]byte(`[true]`), new(enumValues)))
}

func TestGoString(t *testing.T) {
	assert.Equal(t, "`{\"a\":\"b\"}`", goString(`{"a":"b"}`))
	assert.Equal(t, "\"a`b\"", goString("a`b"), "a backquote needs a quoted literal")
}

func TestCamel(t *testing.T) {
	assert.Equal(t, "UsersGet", camel("users.get"))
	assert.Equal(t, "MessagesSendUsers", camel("messages.send_users"))
	assert.Equal(t, "UsersGet", camel("users.Get"))
	assert.Equal(t, "ContactsListAll", camel("contacts.ListAll"))
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
