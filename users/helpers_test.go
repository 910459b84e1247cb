package users_test

import (
	"context"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/users"
)

func ptr[T any](v T) *T { return &v }

// collect walks an iterator to its end, failing on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// clock is stepped by hand, for the emulator's WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// apiCode asserts err is a server answer with the given status and code
// and returns its description.
func apiCode(t *testing.T, err error, status int, code string) string {
	t.Helper()
	var apiErr *easemob.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, code, apiErr.Code)
	return apiErr.Description
}

func register(t *testing.T, c *easemob.Client, names ...string) {
	t.Helper()
	for _, n := range names {
		_, err := c.Users.Register(context.Background(), users.NewUser{Username: n, Password: "pw"})
		require.NoError(t, err)
	}
}
