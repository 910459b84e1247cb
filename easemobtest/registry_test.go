package easemobtest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/internal/catalog"
)

// Every catalog op is served by exactly one module or listed as not
// emulated yet, and both lists hold catalog ops only.
func TestEveryOpHandledOrListed(t *testing.T) {
	inCatalog := map[*catalog.Op]bool{}
	for _, op := range catalog.Ops {
		inCatalog[op] = true
	}
	served := builtin()
	listed := map[*catalog.Op]int{}
	for _, op := range notEmulated {
		listed[op]++
	}
	for _, op := range catalog.Ops {
		_, isServed := served[op]
		switch {
		case isServed && listed[op] > 0:
			t.Errorf("%s is served and listed as not emulated", op.ID)
		case !isServed && listed[op] == 0:
			t.Errorf("%s is neither served nor listed as not emulated", op.ID)
		case listed[op] > 1:
			t.Errorf("%s is listed twice", op.ID)
		}
	}
	for op := range served {
		assert.True(t, inCatalog[op], "served op %s is not in the catalog", op.ID)
	}
	for op := range listed {
		assert.True(t, inCatalog[op], "listed op %s is not in the catalog", op.ID)
	}
}

func TestBuiltinPanicsOnAnOpServedTwice(t *testing.T) {
	saved := modules
	defer func() { modules = saved }()
	modules = []ops{usersOps, {catalog.UsersGet: {serve: getUser}}}
	assert.PanicsWithValue(t, "easemobtest: users.Get is served by two modules", func() { builtin() })
}
