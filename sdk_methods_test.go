package easemob_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
)

// TestSDKMethodsExist checks that every op's SDK names an exported field of
// Client whose type has that method, so the generated docs (limits_gen.go)
// and the catalog point at code that is really there.
func TestSDKMethodsExist(t *testing.T) {
	client := reflect.TypeFor[easemob.Client]()
	named := 0
	for _, op := range catalog.Ops {
		if op.SDK == "" {
			continue
		}
		named++
		field, method, ok := strings.Cut(op.SDK, ".")
		if !assert.True(t, ok, "%s: sdk %q is not Field.Method", op.ID, op.SDK) {
			continue
		}
		f, ok := client.FieldByName(field)
		if !assert.True(t, ok && f.IsExported(), "%s: Client has no exported field %s", op.ID, field) {
			continue
		}
		_, ok = f.Type.MethodByName(method)
		assert.True(t, ok, "%s: Client.%s (%s) has no method %s", op.ID, field, f.Type, method)
	}
	assert.Greater(t, named, 10, "the catalog names the users methods")
}
