package easemob_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

// TestEveryOperationHasAWireSnapshot requires, for each op a module method
// names in a //meta:operation line, a golden file in that module's
// testdata/wire naming the op (wiretest writes the op id into each), and
// that every golden names a documented op.
func TestEveryOperationHasAWireSnapshot(t *testing.T) {
	known := map[string]bool{}
	for _, op := range catalog.Ops {
		known[op.ID] = true
	}
	snapshots := map[string]map[string]bool{} // module -> op ids with a golden
	for _, pkg := range modulePackages {
		snapshots[pkg] = map[string]bool{}
		files, err := filepath.Glob(filepath.Join(pkg, "testdata", "wire", "*.json"))
		require.NoError(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			var g struct{ Op string }
			require.NoError(t, json.Unmarshal(b, &g), f)
			assert.True(t, known[g.Op], "%s names no documented op (%q)", f, g.Op)
			snapshots[pkg][g.Op] = true
		}
	}
	checked := 0
	for _, m := range moduleMethods(t) {
		for _, l := range m.lines {
			assert.True(t, snapshots[m.pkg][l.op], "%s calls %s, which has no wire case in %s/testdata/wire", m.name, l.op, m.pkg)
			checked++
		}
	}
	assert.Greater(t, checked, 10, "the check saw the modules' methods")
}
