package easemob_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// callers runs n concurrent Users.Get calls and returns how many failed.
func callers(ctx context.Context, c *easemob.Client, n int) (failed int, errs []error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad atomic.Int32
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Users.Get(ctx, "alice"); err != nil {
				bad.Add(1)
				mu.Lock()
				if len(errs) < 3 {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return int(bad.Load()), errs
}

// A thousand callers on a fresh client make one token request between
// them; after the server expires every token and fails the next token
// request, the thousand callers that meet the expiry share one failed
// fetch (and fail with its error), and after the backoff one fetch
// serves the next thousand.
func TestTokenRefreshUnderAThousandCallers(t *testing.T) {
	const n = 1000
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(generousQuotas()...))
	require.NoError(t, srv.AddUser("alice", "pw123"))
	tr := &http.Transport{MaxConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		HTTPClient: &http.Client{Transport: tr},
		Registry:   ratelimit.NewRegistry(generousQuotas(), ratelimit.WithoutAdaptation()),
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	failed, errs := callers(ctx, c, n)
	require.Zero(t, failed, "%v", errs)
	assert.Equal(t, 1, srv.TokenRequests(), "one token request for a thousand callers")

	srv.ResetStats()
	srv.ExpireTokens()
	require.NoError(t, srv.InjectFault(catalog.AuthGetAppToken.ID, easemobtest.Fault{Status: http.StatusServiceUnavailable, Count: 1}))
	failed, errs = callers(ctx, c, n)
	assert.Equal(t, n, failed, "every caller met the expired token and the failed refresh")
	assert.Equal(t, 1, srv.TokenRequests(), "one failed fetch, not one per caller")
	for _, err := range errs {
		var apiErr *easemob.Error
		if assert.ErrorAs(t, err, &apiErr) {
			assert.Equal(t, catalog.AuthGetAppToken.ID, apiErr.Op, "the callers get the fetch's error")
			assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
		}
	}
	assert.Equal(t, 0, srv.OpStats(catalog.AuthGetAppToken.ID).Accepted)

	time.Sleep(1100 * time.Millisecond) // the token cache's first backoff after a failure
	failed, errs = callers(ctx, c, n)
	require.Zero(t, failed, "%v", errs)
	assert.Equal(t, 2, srv.TokenRequests(), "then one fetch that succeeds")
}
