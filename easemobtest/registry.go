package easemobtest

import (
	"fmt"

	"github.com/emquota/easemob/internal/catalog"
)

// handler serves one op with the world locked; a nil error answers 200
// with the value as JSON. It may assume the request passed validation.
type handler func(q *request) (any, *apiError)

// impl is how the emulator serves one op.
type impl struct {
	// check, when set, answers the op's documented validation errors in the
	// server's words; it runs before the schema check, which catches the
	// rest with a generic illegal_argument. It reads the request only: the
	// world is not locked yet.
	check func(q *request) *apiError
	// checked lists body fields check (or serve) validates itself, in
	// shapes wider than the schema's; the schema check skips them.
	checked []string
	serve   handler
	// refuse, when set, answers a call over its quota in the op's
	// documented words instead of 429 reach_limit or 403.
	refuse func(q *request, v verdict) *apiError
}

// ops is one module's share of the API.
type ops map[*catalog.Op]impl

// modules lists every module's table; each lives in the module's file.
// Every catalog op is in one of them or in notEmulated (see notyet.go).
var modules = []ops{authOps, usersOps, userAreasOps, messagesOps, groupsOps, chatroomsOps,
	presenceOps, threadsOps, moderationOps, callbacksOps}

// builtin merges the module tables; an op served twice is a bug.
func builtin() map[*catalog.Op]impl {
	all := map[*catalog.Op]impl{}
	for _, m := range modules {
		for op, im := range m {
			if _, dup := all[op]; dup {
				panic(fmt.Sprintf("easemobtest: %s is served by two modules", op.ID))
			}
			all[op] = im
		}
	}
	return all
}

// opByID finds a catalog op by its id, e.g. "users.Get".
func opByID(ops []*catalog.Op, id string) (*catalog.Op, bool) {
	for _, op := range ops {
		if op.ID == id {
			return op, true
		}
	}
	return nil, false
}
