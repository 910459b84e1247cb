package catalog_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// The documented table has 142 rows in 13 modules.
const (
	seedRows    = 142
	seedModules = 13
)

// addedForLegacyRows lists ops the data file adds for seed rows that
// endpoints.json lacks; none are needed today.
var addedForLegacyRows = map[string]bool{}

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

// sharedDir returns ../shared/<sub> beside the module, skipping the test when
// the reference documents are not checked out there.
func sharedDir(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "..", "shared", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("reference folder %s not found (the seed and API fact sheets live beside the module): %v", dir, err)
	}
	return dir
}

func loadDataOps(t *testing.T) []dataOp {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(moduleRoot(t), "data", "quotas.json"))
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

var (
	rowRE = regexp.MustCompile(`^(.*?) (GET|POST|PUT|DELETE) (/\S+)(?: (.+))?$`)
	// figureRE reads "100 次/秒", "6000 条/分钟", "5 次/分钟/单用户 ID" and "100/second".
	figureRE = regexp.MustCompile(`(\d+) ?(?:(次|条)/(秒|分钟)(/单用户 ID)?|/(second|minute))`)
)

// parseSeed reads the rows of the documented table. Rows without a quota take
// the sentence that follows them ("以上五个接口的总调用频率…").
func parseSeed(t *testing.T, path string) (rows []seedRow, modules []string) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	pending := 0 // rows at the end of rows still waiting for a quota
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			modules = append(modules, strings.TrimPrefix(line, "#"))
			continue
		}
		if len(modules) == 0 { // the intro paragraph quotes rows too
			continue
		}
		if m := rowRE.FindStringSubmatch(line); m != nil {
			rows = append(rows, seedRow{Module: modules[len(modules)-1], Name: m[1], Method: m[2], Path: m[3], Quota: m[4]})
			if m[4] == "" {
				pending++
			}
			continue
		}
		if pending > 0 && figureRE.MatchString(line) {
			for i := len(rows) - pending; i < len(rows); i++ {
				rows[i].Quota = line
			}
			pending = 0
		}
	}
	require.NoError(t, sc.Err())
	require.Zero(t, pending, "rows without a quota at the end of %s", path)
	return rows, modules
}

type figure struct {
	count   int
	window  time.Duration
	unit    ratelimit.Unit
	perUser bool
}

func parseFigures(quota string) []figure {
	var out []figure
	for _, m := range figureRE.FindAllStringSubmatch(quota, -1) {
		n, _ := strconv.Atoi(m[1])
		f := figure{count: n, window: time.Second, unit: ratelimit.Calls, perUser: m[4] != ""}
		if m[2] == "条" {
			f.unit = ratelimit.Messages
		}
		if m[3] == "分钟" || m[5] == "minute" {
			f.window = time.Minute
		}
		out = append(out, f)
	}
	return out
}

func TestParseFigures(t *testing.T) {
	assert.Equal(t, []figure{{100, time.Second, ratelimit.Calls, false}}, parseFigures("100 次/秒/App Key"))
	assert.Equal(t, []figure{{6000, time.Minute, ratelimit.Messages, false}}, parseFigures("6000 条/分钟/App Key"))
	assert.Equal(t, []figure{{5, time.Minute, ratelimit.Calls, true}, {100, time.Second, ratelimit.Calls, false}},
		parseFigures("5 次/分钟/单用户 ID,100 次/秒/App Key"))
	assert.Equal(t, []figure{{100, time.Second, ratelimit.Calls, false}}, parseFigures("100/second"))
	assert.Empty(t, parseFigures("App Key"))
}

// stripPrefix drops the /{org_name}/{app_name} every seed path starts with.
func stripPrefix(p string) string {
	return regexp.MustCompile(`^/\{org(?:_name)?\}/\{app(?:_name|Name)\}`).ReplaceAllString(p, "")
}

func TestSeedRowsAreInTheCatalog(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedDir(t, "seed"), "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no seed text in ../shared/seed")
	var rows []seedRow
	var modules []string
	for _, f := range files {
		r, m := parseSeed(t, f)
		rows, modules = append(rows, r...), append(modules, m...)
	}
	require.Len(t, rows, seedRows, "seed rows parsed")
	require.Len(t, modules, seedModules, "seed modules parsed")

	ops := opsByID(t)
	bySeed := map[seedRow][]dataOp{}
	seedBlocks := 0
	for _, o := range loadDataOps(t) {
		if o.Seed != nil {
			bySeed[*o.Seed] = append(bySeed[*o.Seed], o)
			seedBlocks++
		}
	}
	assert.Equal(t, seedRows, seedBlocks, "seed blocks in data/quotas.json")

	for _, row := range rows {
		matches := bySeed[row]
		if !assert.Len(t, matches, 1, "seed row %+v must be transcribed by exactly one op", row) {
			continue
		}
		d := matches[0]
		if stripPrefix(row.Path) != d.Path || row.Method != d.Method {
			assert.NotEmpty(t, d.Fix, "%s corrects %s %s to %s %s without a fix note", d.Op, row.Method, row.Path, d.Method, d.Path)
		}
		op, ok := ops[d.Op]
		if !assert.True(t, ok, "op %s of row %s is not in catalog.Ops", d.Op, row.Name) {
			continue
		}
		q := catalog.Groups[op.Group]
		figs := parseFigures(row.Quota)
		require.NotEmpty(t, figs, "no figure in the quota %q of row %s", row.Quota, row.Name)
		for _, f := range figs {
			found := false
			for _, l := range q.Limits {
				if l.Count == f.count && l.Window == f.window && l.Unit == f.unit && (l.Per != "") == f.perUser {
					found = true
				}
			}
			assert.True(t, found, "row %s (%s): group %s has no limit %d %s per %s (per user: %t); has %v",
				row.Name, row.Quota, q.Group, f.count, f.unit, f.window, f.perUser, q.Limits)
		}
	}
}

type endpointCap struct {
	In        string `json:"in"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Min       *int   `json:"min"`
	Max       *int   `json:"max"`
	WarnAbove *int   `json:"warn_above"`
	Severity  string `json:"severity"`
}

func TestEndpointsAreInTheCatalog(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(sharedDir(t, "api"), "endpoints.json"))
	require.NoError(t, err)
	var doc struct {
		Operations []struct {
			Op     string        `json:"op"`
			Method string        `json:"method"`
			Path   string        `json:"path"`
			Caps   []endpointCap `json:"caps"`
		} `json:"operations"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.NotEmpty(t, doc.Operations)

	ops := opsByID(t)
	units := map[string]string{} // op -> its message_units cap
	for _, o := range loadDataOps(t) {
		units[o.Op] = o.MessageUnits
	}
	seen := map[string]bool{}
	ins := map[string]catalog.CapIn{"body": catalog.InBody, "path": catalog.InPath, "query": catalog.InQuery}
	kinds := map[string]catalog.CapKind{"count": catalog.CapCount, "value": catalog.CapValue}
	deref := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}
	for _, e := range doc.Operations {
		seen[e.Op] = true
		op, ok := ops[e.Op]
		if !assert.True(t, ok, "endpoints.json op %s has no catalog.Op", e.Op) {
			continue
		}
		assert.Equal(t, e.Method+" "+e.Path, op.Method+" "+op.Path, "method and path of %s", e.Op)
		var want []catalog.Cap
		for _, c := range e.Caps {
			want = append(want, catalog.Cap{In: ins[c.In], Name: c.Name, Kind: kinds[c.Kind],
				Min: deref(c.Min), Max: deref(c.Max), WarnAbove: deref(c.WarnAbove), Warn: c.Severity == "warn",
				Messages: c.In == "body" && c.Name == units[e.Op]})
		}
		assert.Equal(t, want, op.Caps, "caps of %s", e.Op)
	}
	for id := range ops {
		assert.True(t, seen[id] || addedForLegacyRows[id], "catalog op %s is not in endpoints.json", id)
	}
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
