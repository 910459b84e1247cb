package easemob_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// recorder keeps every event it observes.
type recorder struct {
	mu     sync.Mutex
	events []observe.Event
}

func (r *recorder) Observe(_ context.Context, e observe.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) of(k observe.Kind) []observe.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []observe.Event
	for _, e := range r.events {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// safeBuffer is a log sink for concurrent writers.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func observedClient(t *testing.T, srv *easemobtest.Server, reg *ratelimit.Registry, obs observe.Observer, log *slog.Logger) *easemob.Client {
	t.Helper()
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: reg, Observer: obs, Logger: log,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestObserverSeesWaitsAndRefusals(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	reg := newRegistry()
	require.NoError(t, reg.Override(srv.AppKey, ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: 2, Window: 200 * time.Millisecond}}}))
	rec := &recorder{}
	c := observedClient(t, srv, reg, rec, nil)
	ctx := context.Background()

	for range 4 {
		_, err := c.Users.Get(ctx, "alice")
		require.NoError(t, err)
	}
	_, err := c.Users.Get(ctx, "alice", option.NoWait())
	require.ErrorIs(t, err, easemob.ErrRateLimited)

	acquired := rec.of(observe.Acquired)
	var gets []observe.Event
	for _, e := range acquired {
		if e.Group == easemob.GroupUsersGet {
			gets = append(gets, e)
		}
	}
	require.Len(t, gets, 4)
	assert.Equal(t, "users.Get", gets[0].Op)
	assert.Equal(t, srv.AppKey, gets[0].AppKey)
	assert.Greater(t, gets[2].Wait, 50*time.Millisecond, "the third call waits for the window")
	refused := rec.of(observe.Refused)
	require.Len(t, refused, 1)
	assert.Equal(t, easemob.GroupUsersGet, refused[0].Group)
	assert.Positive(t, refused[0].Wait)
	var we *ratelimit.WaitError
	assert.True(t, errors.As(refused[0].Err, &we))
}

// A server whose quota is below the client's answers 429: the observer
// sees the refusals, the resends and the cut of the group's rate, and the
// logger says so without printing a credential.
func TestObserverAndLoggerSeeServerRefusals(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: 5, Window: time.Second}}}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	rec := &recorder{}
	var logged safeBuffer
	log := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := observedClient(t, srv, newRegistry(), rec, log)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 20 {
		_, _ = c.Users.Get(ctx, "alice", option.Retry(option.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}))
	}
	limited := rec.of(observe.RateLimited)
	require.NotEmpty(t, limited)
	assert.Equal(t, 429, limited[0].Status)
	assert.NotEmpty(t, rec.of(observe.Retry))
	changed := rec.of(observe.RateChanged)
	require.NotEmpty(t, changed)
	assert.Less(t, changed[0].Factor, 1.0)
	assert.Equal(t, easemob.GroupUsersGet, changed[0].Group)

	text := logged.String()
	assert.Contains(t, text, "server refused for rate")
	assert.Contains(t, text, "slowing the group down")
	assert.NotContains(t, text, srv.ClientSecret)
	assert.NotContains(t, text, "YWMt")
}

// Without a Logger nothing goes to slog's default logger.
func TestNoLoggerLogsNothing(t *testing.T) {
	var logged safeBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: 2, Window: time.Second}}}))
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := observedClient(t, srv, easemob.NewRegistry(), nil, nil)
	for range 6 {
		_, _ = c.Users.Get(context.Background(), "alice", option.Retry(option.RetryPolicy{MaxAttempts: 1}))
	}
	require.Positive(t, srv.Stats(easemob.GroupUsersGet).RateLimited)
	assert.Empty(t, logged.String())
}
