package messages_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/emquota/easemob/internal/hits"
)

// Every test closes what it starts: clients, emulators, streams.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m, hits.Record()) }
