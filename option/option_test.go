package option_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

func TestResolve(t *testing.T) {
	var resp option.Response
	s := option.Resolve(option.Bulk(), option.NoWait(), option.MaxWait(time.Second), option.CaptureResponse(&resp),
		option.Header("X-A", "1"), option.Header("X-A", "2"), option.Retry(option.RetryPolicy{MaxAttempts: 1}),
		option.Concurrency(0), option.ResendAmbiguous(), nil)
	assert.Equal(t, ratelimit.Bulk, *s.Priority)
	assert.True(t, s.NoWait)
	assert.Equal(t, time.Second, s.MaxWait)
	assert.Same(t, &resp, s.Response)
	assert.Equal(t, http.Header{"X-A": {"1", "2"}}, s.Header)
	assert.Equal(t, 1, s.Retry.MaxAttempts)
	assert.Equal(t, 1, s.Concurrency, "at least one call in flight")
	assert.True(t, s.ResendAmbiguous)
	assert.Nil(t, option.Resolve().Priority, "no option keeps the context's lane")
	assert.Equal(t, ratelimit.Interactive, *option.Resolve(option.Bulk(), option.Interactive()).Priority, "the last option wins")
}
