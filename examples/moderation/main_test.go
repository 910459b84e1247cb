package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/examples/internal/exampletest"
	"github.com/emquota/easemob/moderation"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstTheEmulator(t *testing.T) {
	cfg, _ := exampletest.Emulated(t)
	assert.Equal(t, `"cheap spam here": REJECT, found [spam], shown as "***************"
"darn, missed the bus": PASS, found [darn], shown as "***, missed the bus"
adding spam again: 400 Bad Request: The textList already contains the text
changed phishing to phish and deleted it; the block list has spam, scam
`, exampletest.Output(t, run, cfg))

	// Both lists are gone.
	c, err := easemob.New(cfg)
	require.NoError(t, err)
	defer func() { _ = c.Close() }()
	page, err := c.Moderation.SearchLists(context.Background(), moderation.ListQuery{})
	require.NoError(t, err)
	assert.Empty(t, page.Lists)
}
