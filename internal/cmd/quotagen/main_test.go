package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const moduleRoot = "../../.."

// TestGeneratedFilesUpToDate is the staleness check: the committed files must
// be exactly what the data file generates.
func TestGeneratedFilesUpToDate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(moduleRoot, "data", "quotas.json"))
	require.NoError(t, err)
	files, err := generate(data)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{catalogFile, limitsFile}, keys(files))
	for name, got := range files {
		want, err := os.ReadFile(filepath.Join(moduleRoot, filepath.FromSlash(name)))
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s is stale: run go generate ./...", name)
	}
}

// validData is a small data file that passes validation; the cases below
// break it one way each.
const validData = `{
  "about": ["test"],
  "groups": [
    {"name": "users.get", "limits": [{"count": 100, "window": "1s", "unit": "calls"}], "note": "n"},
    {"name": "conversations.delete", "limits": [
      {"count": 5, "window": "1m", "per": "username", "unit": "calls"},
      {"count": 100, "window": "1s", "unit": "calls"}], "note": "n"}
  ],
  "ops": [
    {"op": "users.Get", "title": "获取单个用户", "method": "GET", "path": "/users/{username}", "group": "users.get",
     "seed": {"module": "m", "name": "获取单个用户", "method": "GET", "path": "/{org_name}/{app_name}/users/{username}", "quota": "100 次/秒/App Key"}},
    {"op": "users.GetAgain", "title": "t", "method": "GET", "path": "/users/{name}", "group": "users.get", "variant_of": "users.Get"},
    {"op": "conversations.Delete", "title": "t", "method": "DELETE", "path": "/users/{username}/user_channel", "group": "conversations.delete",
     "caps": [{"in": "body", "name": "to", "max": 3}], "source": "doc"}
  ]
}`

func TestGenerateValidData(t *testing.T) {
	files, err := generate([]byte(validData))
	require.NoError(t, err)
	cat := string(files[catalogFile])
	assert.Contains(t, cat, "GroupUsersGet GroupID = iota")
	assert.Contains(t, cat, `{Count: 5, Window: time.Minute, Per: "username", Unit: ratelimit.Calls}`)
	assert.Contains(t, cat, `Caps: []Cap{{In: InBody, Name: "to", Max: 3}}`)
	assert.Contains(t, string(files[limitsFile]), `GroupConversationsDelete = "conversations.delete"`)
	lim := strings.Join(strings.Fields(strings.ReplaceAll(string(files[limitsFile]), "\t// ", "")), " ") // undo wrapping
	assert.Contains(t, lim, "allows 5 calls/min per username and 100 calls/s per App Key.")
	assert.Contains(t, lim, "Used by users.Get (获取单个用户) and users.GetAgain (t).")
}

func TestValidationRejects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		wantErr  string
	}{
		{"missing group",
			`"group": "users.get", "variant_of"`, `"group": "users.gone", "variant_of"`,
			`op "users.GetAgain": group "users.gone" is not defined`},
		{"same method and path in two groups",
			`"method": "GET", "path": "/users/{name}", "group": "users.get", "variant_of": "users.Get"`,
			`"method": "DELETE", "path": "/users/{name}/user_channel", "group": "users.get", "source": "x"`,
			"same method and path"},
		{"zero count",
			`{"count": 100, "window": "1s", "unit": "calls"}], "note"`, `{"count": 0, "window": "1s", "unit": "calls"}], "note"`,
			`group "users.get" limit 0: count must be positive, got 0`},
		{"zero window",
			`"count": 5, "window": "1m"`, `"count": 5, "window": "0s"`,
			"window must be positive"},
		{"unknown unit",
			`"window": "1m", "per": "username", "unit": "calls"`, `"window": "1m", "per": "username", "unit": "bytes"`,
			"unit must be calls or messages"},
		{"per is not a path parameter",
			`"per": "username"`, `"per": "user_id"`,
			`limit per "user_id", which is not a path parameter`},
		{"unused group",
			`"group": "conversations.delete",`, `"group": "users.get",`,
			`group "conversations.delete" is not used by any op`},
		{"duplicate op",
			`"op": "users.GetAgain"`, `"op": "users.Get"`,
			`op "users.Get": defined twice`},
		{"no seed, variant or source",
			`, "source": "doc"`, ``,
			"needs exactly one of seed, variant_of or source"},
		{"variant of an op without a seed row",
			`"variant_of": "users.Get"`, `"variant_of": "conversations.Delete"`,
			"which has no seed row"},
		{"unknown field",
			`"note": "n"}`, `"notes": "n"}`,
			`unknown field "notes"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(validData, tc.old, tc.new, 1)
			require.NotEqual(t, validData, bad, "the case did not change the data")
			_, err := generate([]byte(bad))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
		})
	}
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
