package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/emquota/easemob/examples/internal/exampleenv"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// /metrics shows, per quota group, the waits and the refusals in the
// Prometheus text format.
func TestMetricsShowWaitsAndRefusals(t *testing.T) {
	t.Setenv("EASEMOB_BASE_URL", "")
	cfg, _, stop := exampleenv.Config()
	defer stop()
	s, err := newService(cfg, "127.0.0.1:0")
	require.NoError(t, err)
	defer s.close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, s.work(ctx))

	resp, err := http.Get("http://" + s.addr() + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	text := string(body)

	value := func(metric string) float64 {
		t.Helper()
		re := regexp.MustCompile(regexp.QuoteMeta(metric) + `\{app_key="easemob-demo#emulator",group="users\.get"\} (\S+)`)
		m := re.FindStringSubmatch(text)
		require.NotNil(t, m, "%s for users.get in:\n%s", metric, text)
		v, err := strconv.ParseFloat(m[1], 64)
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, float64(2*getRate), value("easemob_quota_wait_seconds_count"))
	assert.Greater(t, value("easemob_quota_wait_seconds_sum"), 0.5, "twice the quota from eight callers waits")
	assert.Equal(t, float64(2*getRate), value("easemob_quota_acquisitions_total"))
	assert.Positive(t, value("easemob_quota_refusals_total"), "calls that may not wait were refused")
	assert.Equal(t, 1.0, value("easemob_rate_factor"))
	assert.Contains(t, text, `easemob_quota_wait_seconds_bucket{app_key="easemob-demo#emulator",group="users.get",le="0.5"}`)
	assert.Contains(t, text, `group="users.account_write"`)
	assert.Contains(t, text, "# TYPE easemob_quota_refusals_total counter")
}
