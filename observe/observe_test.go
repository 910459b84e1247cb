package observe_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/observe"
)

func TestMultiPassesEveryEventToEach(t *testing.T) {
	var a, b []observe.Kind
	m := observe.Multi(
		observe.Func(func(_ context.Context, e observe.Event) { a = append(a, e.Kind) }),
		nil,
		observe.Func(func(_ context.Context, e observe.Event) { b = append(b, e.Kind) }),
	)
	m.Observe(context.Background(), observe.Event{Kind: observe.Acquired})
	m.Observe(context.Background(), observe.Event{Kind: observe.RateLimited})
	assert.Equal(t, []observe.Kind{observe.Acquired, observe.RateLimited}, a)
	assert.Equal(t, a, b)
}

func TestKindNames(t *testing.T) {
	names := map[observe.Kind]string{observe.Acquired: "acquired", observe.Refused: "refused",
		observe.RateLimited: "rate_limited", observe.Retry: "retry", observe.RateChanged: "rate_changed", 0: "unknown"}
	for k, want := range names {
		assert.Equal(t, want, k.String())
	}
}
