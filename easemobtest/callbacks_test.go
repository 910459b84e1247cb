package easemobtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

func TestCallbackStorageAnswersAsDocumented(t *testing.T) {
	srv := easemobtest.NewServer(t)
	c := newClient(t, srv)
	require.NoError(t, srv.StoreCallbackFailures(time.Now(), 2))
	keys := []string{"path", "uri", "timestamp", "organization", "application", "action", "data", "duration", "applicationName"}

	status, body := c.call("GET", "/callbacks/storage/info", nil)
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, keys...)
	assert.Equal(t, "/callbacks", body["path"], "as the example shows, for a GET too")
	assert.Equal(t, "post", body["action"])
	assert.Equal(t, srv.AppURL()+"/callbacks", body["uri"])
	sets := body["data"].([]any)
	require.Len(t, sets, 1)
	assertKeys(t, sets[0].(map[string]any), "date", "size", "retry")
	date := sets[0].(map[string]any)["date"].(string)

	status, body = c.call("POST", "/callbacks/storage/retry", map[string]any{"date": date, "retry": 0})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, keys...)
	assert.Equal(t, "success", body["data"])

	status, body = c.call("POST", "/callbacks/storage/retry", map[string]any{"date": "2021-09-09"})
	assertError(t, status, body, http.StatusBadRequest, "illegal_argument", "date must be yyyyMMddHHmm: 2021-09-09")
	assert.Error(t, srv.StoreCallbackFailures(time.Now(), 0))
}
