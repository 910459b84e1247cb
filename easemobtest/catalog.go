package easemobtest

import (
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// The emulator routes and limits by the same generated catalog the SDK
// uses, so both read the documented quotas from one table.

func defaultOps() []*catalog.Op { return catalog.Ops }

// defaultQuotas is indexed like catalog.Groups, so an op's Group indexes it.
func defaultQuotas() []ratelimit.Quota { return catalog.Groups[:] }
