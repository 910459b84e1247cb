package callbacks_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/callbacks"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/emuclient"
)

func TestStoredFailuresAndRedelivery(t *testing.T) {
	now := time.Date(2021, 9, 9, 14, 47, 0, 0, time.UTC)
	c, srv := emuclient.New(t, easemobtest.WithClock(func() time.Time { return now }))
	ctx := context.Background()

	sets, err := c.Callbacks.StorageInfo(ctx)
	require.NoError(t, err)
	assert.Empty(t, sets)

	require.NoError(t, srv.StoreCallbackFailures(now, 10))
	require.NoError(t, srv.StoreCallbackFailures(now.Add(-2*time.Minute), 5)) // same slice, 14:40
	require.NoError(t, srv.StoreCallbackFailures(now.Add(-30*time.Minute), 3))
	require.NoError(t, srv.StoreCallbackFailures(now.Add(-73*time.Hour), 1)) // past the 3 days kept
	sets, err = c.Callbacks.StorageInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, []callbacks.FailureSet{{Date: "202109091410", Size: 3}, {Date: "202109091440", Size: 15}}, sets)

	ok, err := c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "202109091440"})
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "202109091440", Retry: 1, TargetURL: "https://example.com/hook"})
	require.NoError(t, err)
	assert.True(t, ok)
	sets, err = c.Callbacks.StorageInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, sets[1].Retry, "two redeliveries of the 14:40 set")

	for _, date := range []string{"202109091450", "202109061340"} {
		ok, err = c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: date})
		require.NoError(t, err, date)
		assert.False(t, ok, "%s: no set to send (none stored, or older than 3 days)", date)
	}
}

func TestRedeliverValidation(t *testing.T) {
	c, srv := emuclient.New(t)
	ctx := context.Background()
	for name, r := range map[string]callbacks.Redelivery{
		"no date":    {},
		"short date": {Date: "2021090914"},
		"not digits": {Date: "2021-09-0914"},
		"retry":      {Date: "202109091440", Retry: -1},
		"url":        {Date: "202109091440", TargetURL: "ftp://example.com"},
	} {
		_, err := c.Callbacks.Redeliver(ctx, r)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests(), "no request of any kind went out")
}
