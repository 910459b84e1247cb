package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/emquota/easemob/examples/internal/exampleenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstTheEmulator(t *testing.T) {
	t.Setenv("EASEMOB_BASE_URL", "") // the embedded emulator, whatever the machine has set
	cfg, emu, stop := exampleenv.Config()
	defer stop()
	require.NotNil(t, emu)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	require.NoError(t, run(ctx, cfg, &out))
	assert.Equal(t, `registered example-users-alice (Alice)
registered 3 in a batch
example-users-alice is activated: true
listed 4 users, 2 a page
example-users-bot0 banned: activated false
unbanned bot0 and changed alice's password
example-users-alice online: false
example-users-bot1 online: false
deleted them; alice is not found any more
`, out.String())
	assert.Empty(t, emu.Usernames())
}
