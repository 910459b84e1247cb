package users_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/emquota/easemob/internal/hits"
)

// Every test closes what it starts: clients and emulators.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, hits.Record()) }
