package catalog_test

import (
	"bufio"
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
	files, err := filepath.Glob(dataFile(t, "seed", "*.txt"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no seed text in data/seed")
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
