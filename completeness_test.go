package easemob_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/hits"
)

// TestCompleteness holds every operation of the catalog to what "done"
// means. An op is complete when it has
//   - an SDK method: op.SDK names an exported Client field whose type has it;
//   - an emulator handler: it is not in easemobtest/notyet.go;
//   - a wire golden in its method's module (testdata/wire): the wire harness
//     then checks the request, decodes the documented example keeping its
//     fields, and checks that the call went through the limiter of the op's
//     documented group and no other;
//   - a behaviour test: a module's testdata/ops-hit.txt lists it, i.e. some
//     module's tests had the emulator's own handler answer it with success
//     (written by go test ./<module> -update-hits, checked by every full run).
//
// It fails while any op is incomplete; with -short it skips, saying how
// many are. Run it with go test -tags completeness -run Completeness .
func TestCompleteness(t *testing.T) {
	notEmulated := notYetEmulated(t)
	goldens := map[string]map[string]bool{} // module -> ops with a golden
	hit := map[string]bool{}
	for _, pkg := range modulePackages {
		goldens[pkg] = goldenOps(t, pkg)
		ids, err := hits.Read(filepath.Join(pkg, hits.File))
		require.NoError(t, err)
		for _, id := range ids {
			hit[id] = true
		}
	}
	client := reflect.TypeFor[easemob.Client]()
	counts := map[string]int{}      // aspect -> ops lacking it
	byArea := map[string][]string{} // op area -> "op [lacks]"
	var areas []string
	incomplete := 0
	for _, op := range catalog.Ops {
		var lacks []string
		pkg, ok := sdkPackage(client, op.SDK)
		if !ok {
			lacks = append(lacks, "sdk")
		}
		if notEmulated[opVar(op.ID)] {
			lacks = append(lacks, "emulator")
		}
		if !ok || !goldens[pkg][op.ID] {
			lacks = append(lacks, "wire")
		}
		if !hit[op.ID] {
			lacks = append(lacks, "behaviour")
		}
		if len(lacks) == 0 {
			continue
		}
		incomplete++
		for _, l := range lacks {
			counts[l]++
		}
		area, _, _ := strings.Cut(op.ID, ".")
		if byArea[area] == nil {
			areas = append(areas, area)
		}
		byArea[area] = append(byArea[area], op.ID+" ["+strings.Join(lacks, " ")+"]")
	}
	if incomplete == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d operations are incomplete; lacking an SDK method: %d, an emulator handler: %d, "+
		"a wire golden (request, decode, limiter group): %d, a behaviour test (ops-hit.txt): %d\n",
		incomplete, len(catalog.Ops), counts["sdk"], counts["emulator"], counts["wire"], counts["behaviour"])
	for _, area := range areas {
		fmt.Fprintf(&b, "  %s (%d): %s\n", area, len(byArea[area]), strings.Join(byArea[area], ", "))
	}
	if testing.Short() {
		t.Skip(b.String())
	}
	t.Error(b.String())
}

// sdkPackage returns the module package of the method op.SDK names, when
// Client has that field and its type that method.
func sdkPackage(client reflect.Type, sdk string) (string, bool) {
	field, name, ok := strings.Cut(sdk, ".")
	if !ok {
		return "", false
	}
	f, ok := client.FieldByName(field)
	if !ok || !f.IsExported() {
		return "", false
	}
	if _, ok := f.Type.MethodByName(name); !ok {
		return "", false
	}
	return path.Base(f.Type.Elem().PkgPath()), true
}

// notYetEmulated returns the catalog variables easemobtest/notyet.go lists.
func notYetEmulated(t *testing.T) map[string]bool {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("easemobtest", "notyet.go"), nil, 0)
	require.NoError(t, err)
	out := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "catalog" {
				out[sel.Sel.Name] = true
			}
		}
		return true
	})
	delete(out, "Op") // the list's element type
	return out
}

// opVar is the catalog variable of an op id: users.Get is UsersGet.
func opVar(id string) string {
	area, name, _ := strings.Cut(id, ".")
	return strings.ToUpper(area[:1]) + area[1:] + name
}

// goldenOps returns the ops a module's wire goldens name.
func goldenOps(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(pkg, "testdata", "wire", "*.json"))
	require.NoError(t, err)
	out := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var g struct{ Op string }
		require.NoError(t, json.Unmarshal(b, &g), f)
		out[g.Op] = true
	}
	return out
}
