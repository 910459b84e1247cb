package catalog_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

type seedRow struct {
	Module string `json:"module"`
	Name   string `json:"name"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Quota  string `json:"quota"`
}

type dataOp struct {
	Op           string   `json:"op"`
	Method       string   `json:"method"`
	Path         string   `json:"path"`
	Group        string   `json:"group"`
	SDK          string   `json:"sdk"`
	MessageUnits string   `json:"message_units"`
	Seed         *seedRow `json:"seed"`
	Fix          string   `json:"fix"`
	VariantOf    string   `json:"variant_of"`
	Source       string   `json:"source"`
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "go.mod not found above the test directory")
		dir = parent
	}
}

// dataFile returns the path of a file under the module's data folder.
func dataFile(t *testing.T, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{moduleRoot(t), "data"}, elem...)...)
}

func loadDataOps(t *testing.T) []dataOp {
	t.Helper()
	raw, err := os.ReadFile(dataFile(t, "quotas.json"))
	require.NoError(t, err)
	var f struct {
		Ops []dataOp `json:"ops"`
	}
	require.NoError(t, json.Unmarshal(raw, &f))
	return f.Ops
}

func opsByID(t *testing.T) map[string]*catalog.Op {
	t.Helper()
	m := map[string]*catalog.Op{}
	for _, op := range catalog.Ops {
		require.NotNil(t, op)
		_, dup := m[op.ID]
		require.False(t, dup, "op %s listed twice in catalog.Ops", op.ID)
		m[op.ID] = op
	}
	return m
}

var paramRE = regexp.MustCompile(`\{[^{}]*\}`)

func TestCatalogInvariants(t *testing.T) {
	require.NotEmpty(t, catalog.Ops)
	used := make([]bool, catalog.NumGroups)
	byRoute := map[string]*catalog.Op{}
	for _, op := range catalog.Ops {
		require.True(t, op.Group >= 0 && op.Group < catalog.NumGroups, "%s: group %d out of range", op.ID, op.Group)
		used[op.Group] = true
		route := op.Method + " " + paramRE.ReplaceAllString(op.Path, "{}")
		if first, ok := byRoute[route]; ok {
			assert.Equal(t, first.Group, op.Group, "%s and %s share %s but not a group", first.ID, op.ID, route)
		} else {
			byRoute[route] = op
		}
		for _, l := range catalog.Groups[op.Group].Limits {
			if l.Per != "" {
				assert.Contains(t, op.Path, "{"+l.Per+"}", "%s: limit per %s is not a path parameter", op.ID, l.Per)
			}
		}
	}
	names := map[string]bool{}
	for id, q := range catalog.Groups {
		assert.True(t, used[id], "group %s is used by no op", q.Group)
		assert.False(t, names[q.Group], "group name %s repeated", q.Group)
		names[q.Group] = true
		assert.NotEmpty(t, q.Limits, "group %s has no limits", q.Group)
		for _, l := range q.Limits {
			assert.True(t, l.Count > 0 && l.Window > 0, "group %s: limit %v", q.Group, l)
		}
		got, ok := catalog.GroupByName(q.Group)
		assert.True(t, ok, "GroupByName(%q)", q.Group)
		assert.Equal(t, catalog.GroupID(id), got, "GroupByName(%q)", q.Group)
	}
	_, ok := catalog.GroupByName("no.such_group")
	assert.False(t, ok)
}

// TestDocumentedSides pins the sides the seed does not state (see the notes
// in data/quotas.json).
func TestDocumentedSides(t *testing.T) {
	for _, tc := range []struct {
		op   *catalog.Op
		want []ratelimit.Limit
	}{
		{catalog.MessagesSendToUsers, []ratelimit.Limit{
			{Count: 100, Window: time.Second, Unit: ratelimit.Calls},
			{Count: 6000, Window: time.Minute, Unit: ratelimit.Messages}}},
		{catalog.MessagesSendToGroups, []ratelimit.Limit{
			{Count: 20, Window: time.Second, Unit: ratelimit.Calls},
			{Count: 20, Window: time.Second, Unit: ratelimit.Messages}}},
		{catalog.MessagesSendToChatrooms, []ratelimit.Limit{
			{Count: 100, Window: time.Second, Unit: ratelimit.Calls},
			{Count: 100, Window: time.Second, Unit: ratelimit.Messages}}},
		{catalog.ConversationsDeleteForUser, []ratelimit.Limit{
			{Count: 5, Window: time.Minute, Per: "username", Unit: ratelimit.Calls},
			{Count: 100, Window: time.Second, Unit: ratelimit.Calls}}},
		{catalog.MessagesGetHistoryFile, []ratelimit.Limit{
			{Count: 10, Window: time.Minute, Unit: ratelimit.Calls}}},
		{catalog.MessagesBroadcastToChatrooms, []ratelimit.Limit{
			{Count: 1, Window: time.Second, Unit: ratelimit.Calls},
			{Count: 10, Window: time.Minute, Unit: ratelimit.Calls},
			{Count: 100, Window: 24 * time.Hour, Unit: ratelimit.Calls}}},
		{catalog.MessagesBroadcastToAllUsers, []ratelimit.Limit{
			{Count: 1, Window: 30 * time.Minute, Unit: ratelimit.Calls},
			{Count: 3, Window: 24 * time.Hour, Unit: ratelimit.Calls}}},
		{catalog.MessagesBroadcastToOnlineUsers, []ratelimit.Limit{
			{Count: 1, Window: time.Minute, Unit: ratelimit.Calls},
			{Count: 50, Window: 24 * time.Hour, Unit: ratelimit.Calls}}},
	} {
		assert.Equal(t, tc.want, catalog.Groups[tc.op.Group].Limits, tc.op.ID)
	}
	// One budget for the five seed rows that share 100/s.
	for _, op := range []*catalog.Op{catalog.UsersRegister, catalog.UsersRegisterBatch, catalog.PushSetNickname,
		catalog.PushSetDisplayStyle, catalog.PushSetNoDisturbLegacy} {
		assert.Equal(t, catalog.GroupUsersAccountWrite, op.Group, op.ID)
	}
}
