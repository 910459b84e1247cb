package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryCommandHasHelp(t *testing.T) {
	require.NotEmpty(t, commands)
	for _, c := range commands {
		t.Run(c.path, func(t *testing.T) {
			r := cli(t, nil, "", append(strings.Fields(c.path), "--help")...)
			assert.Equal(t, exitOK, r.code, r.stderr)
			assert.Contains(t, r.stdout, "Usage: easemob "+c.path)
			assert.Contains(t, r.stdout, "--output")
			if c.client {
				assert.Contains(t, r.stdout, "EASEMOB_CLIENT_SECRET")
			}
			h := cli(t, nil, "", append([]string{"help"}, strings.Fields(c.path)...)...)
			assert.Equal(t, r.stdout, h.stdout, "help COMMAND is COMMAND --help")
		})
	}
}

func TestOverviewAndUsageErrors(t *testing.T) {
	r := cli(t, nil, "", "--help")
	assert.Equal(t, exitOK, r.code)
	for _, want := range []string{"users get", "job register-users", "quotas", "emulate", "loadtest", "Exit codes:"} {
		assert.Contains(t, r.stdout, want)
	}
	assert.Equal(t, exitUsage, cli(t, nil, "").code, "no command")
	r = cli(t, nil, "", "frobnicate")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown command "frobnicate"`)
	r = cli(t, nil, "", "users")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "users get USERNAME")
	r = cli(t, nil, "", "users", "--help")
	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stdout, "users register USERNAME")
	r = cli(t, nil, "", "users", "fly")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown command "users fly"`)

	r = cli(t, nil, "", "users", "get")
	assert.Equal(t, exitUsage, r.code, "missing argument")
	assert.Contains(t, r.stderr, "takes 1 argument(s): USERNAME")
	r = cli(t, nil, "", "users", "get", "a", "--no-such-flag")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "no-such-flag")
	r = cli(t, nil, "", "users", "get", "a", "-o", "yaml")
	assert.Equal(t, exitUsage, r.code)
}

func TestParseInterleaved(t *testing.T) {
	c, rest := find([]string{"users", "list", "--limit", "5", "--", "-x"})
	require.NotNil(t, c)
	assert.Equal(t, "users list", c.path)
	assert.Equal(t, []string{"--limit", "5", "--", "-x"}, rest)
}

func errCanceled() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return fmt.Errorf("interrupted: %w", context.Cause(ctx))
}
