package easemob_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
)

// modulePackages are the API modules whose methods call operations.
var modulePackages = []string{"users", "messages", "groups", "chatrooms", "presence", "threads", "moderation", "callbacks"}

var metaOp = regexp.MustCompile(`^//meta:operation (\S+) (\S+) \(([\w.]+)\)$`)

// TestEveryMethodNamesADocumentedOperation checks that each exported method
// of a module's Service states, in a //meta:operation line, a documented
// operation with the same method and path, whose descriptor has a group and
// names that method as its SDK. Iterators are exempt: they page through a
// method that has the line.
func TestEveryMethodNamesADocumentedOperation(t *testing.T) {
	ops := map[string]*catalog.Op{}
	for _, op := range catalog.Ops {
		ops[op.ID] = op
	}
	used := 0
	for _, m := range moduleMethods(t) {
		for _, line := range m.lines {
			op := ops[line.op]
			if assert.NotNil(t, op, "%s names unknown op %s", m.name, line.op) {
				assert.Equal(t, op.Method, line.method, m.name)
				assert.Equal(t, op.Path, line.path, m.name)
				assert.Less(t, int(op.Group), int(catalog.NumGroups), m.name)
				assert.Equal(t, m.sdk, op.SDK, "sdk of %s in data/quotas.json", op.ID)
				used++
			}
		}
		assert.NotEmpty(t, m.lines, "%s has no //meta:operation line", m.name)
	}
	assert.Greater(t, used, 10, "the check saw the modules' methods")
}

// method is an exported Service method of a module, with its
// //meta:operation lines.
type method struct {
	pkg, name string // name is "users.Get"
	sdk       string // as an op's SDK names it: "Users.Get"
	lines     []metaLine
}

type metaLine struct{ method, path, op string }

// moduleMethods parses the modules' sources for their Service methods,
// iterators left out.
func moduleMethods(t *testing.T) []method {
	t.Helper()
	var out []method
	for _, pkg := range modulePackages {
		field := clientField(t, pkg)
		files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
		require.NoError(t, err)
		fset := token.NewFileSet()
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
			require.NoError(t, err)
			for _, d := range file.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || !isService(fn) || !fn.Name.IsExported() || isIterator(fn) {
					continue
				}
				m := method{pkg: pkg, name: pkg + "." + fn.Name.Name, sdk: field + "." + fn.Name.Name}
				if fn.Doc != nil {
					for _, c := range fn.Doc.List {
						if l := metaOp.FindStringSubmatch(c.Text); l != nil {
							m.lines = append(m.lines, metaLine{method: l[1], path: l[2], op: l[3]})
						}
					}
				}
				out = append(out, m)
			}
		}
	}
	return out
}

// clientField returns the name of the Client field holding pkg's Service.
func clientField(t *testing.T, pkg string) string {
	t.Helper()
	client := reflect.TypeFor[easemob.Client]()
	for i := range client.NumField() {
		f := client.Field(i)
		if f.Type.Kind() == reflect.Pointer && f.Type.Elem().Name() == "Service" && path.Base(f.Type.Elem().PkgPath()) == pkg {
			return f.Name
		}
	}
	require.Failf(t, "no Client field", "for package %s", pkg)
	return ""
}

func isIterator(fn *ast.FuncDecl) bool {
	res := fn.Type.Results
	if res == nil || len(res.List) != 1 {
		return false
	}
	sel, ok := res.List[0].Type.(*ast.IndexListExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.SelectorExpr)
	return ok && x.Sel.Name == "Seq2"
}

func isService(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) != 1 {
		return false
	}
	star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == "Service"
}
