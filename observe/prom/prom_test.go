package prom_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/observe/prom"
)

func TestCollectorCountsEveryKind(t *testing.T) {
	col := prom.New(prom.WithConstLabels(prometheus.Labels{"service": "test"}))
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(col))
	ctx := context.Background()
	ev := func(k observe.Kind, mod func(*observe.Event)) {
		e := observe.Event{Kind: k, AppKey: "org#app", Group: "users.get", Op: "users.Get"}
		if mod != nil {
			mod(&e)
		}
		col.Observe(ctx, e)
	}
	ev(observe.Acquired, func(e *observe.Event) { e.Wait = 30 * time.Millisecond })
	ev(observe.Acquired, nil)
	ev(observe.Refused, func(e *observe.Event) { e.Wait = time.Second })
	ev(observe.RateLimited, func(e *observe.Event) { e.Status = 429 })
	ev(observe.Retry, func(e *observe.Event) { e.Attempt = 1 })
	ev(observe.RateChanged, func(e *observe.Event) { e.Factor = 0.9 })

	want := `
# HELP easemob_quota_acquisitions_total Calls granted their quota, resends included.
# TYPE easemob_quota_acquisitions_total counter
easemob_quota_acquisitions_total{app_key="org#app",group="users.get",service="test"} 2
# HELP easemob_quota_refusals_total Calls refused locally for quota, spending nothing.
# TYPE easemob_quota_refusals_total counter
easemob_quota_refusals_total{app_key="org#app",group="users.get",service="test"} 1
# HELP easemob_server_rate_limited_total The server's refusals for rate (429 reach_limit, 403 message quota).
# TYPE easemob_server_rate_limited_total counter
easemob_server_rate_limited_total{app_key="org#app",group="users.get",service="test"} 1
# HELP easemob_retries_total Calls resent after a failed attempt.
# TYPE easemob_retries_total counter
easemob_retries_total{app_key="org#app",group="users.get",service="test"} 1
# HELP easemob_rate_factor The group's rate after adaptation to the server's refusals (1: the configured quota).
# TYPE easemob_rate_factor gauge
easemob_rate_factor{app_key="org#app",group="users.get",service="test"} 0.9
`
	require.NoError(t, testutil.GatherAndCompare(reg, strings.NewReader(want),
		"easemob_quota_acquisitions_total", "easemob_quota_refusals_total", "easemob_server_rate_limited_total",
		"easemob_retries_total", "easemob_rate_factor"))
	n, err := testutil.GatherAndCount(reg, "easemob_quota_wait_seconds")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "one wait histogram per group")
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() == "easemob_quota_wait_seconds" {
			h := mf.GetMetric()[0].GetHistogram()
			assert.Equal(t, uint64(2), h.GetSampleCount())
			assert.InDelta(t, 0.03, h.GetSampleSum(), 1e-9)
		}
	}
}

func TestNamespace(t *testing.T) {
	col := prom.New(prom.WithNamespace("im"), prom.WithBuckets([]float64{1}))
	col.Observe(context.Background(), observe.Event{Kind: observe.Acquired, AppKey: "o#a", Group: "g"})
	reg := prometheus.NewRegistry()
	require.NoError(t, reg.Register(col))
	n, err := testutil.GatherAndCount(reg, "im_quota_acquisitions_total", "im_rate_factor")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}
