package callbacks_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/emquota/easemob/internal/hits"
)

// Every test closes what it starts: clients and emulators. The ops the
// tests drive are listed in testdata/ops-hit.txt (-update-hits).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, hits.Record()) }
