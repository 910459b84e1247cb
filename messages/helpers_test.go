package messages_test

import (
	"context"
	"encoding/json"
	"strings"

	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

// newClient starts an emulator and a client with a registry of its own, so
// tests do not share budgets. overrides replace the client's quotas.
func newClient(t *testing.T, opts []easemobtest.Option, overrides ...ratelimit.Quota) (*easemob.Client, *easemobtest.Server) {
	t.Helper()
	srv := easemobtest.NewServer(t, opts...)
	return clientFor(t, srv.URL, srv.AppKey, srv.ClientID, srv.ClientSecret, overrides...), srv
}

func clientFor(t *testing.T, url, appKey, id, secret string, overrides ...ratelimit.Quota) *easemob.Client {
	t.Helper()
	reg := easemob.NewRegistry()
	for _, q := range overrides {
		require.NoError(t, reg.Override(appKey, q))
	}
	c, err := easemob.New(easemob.Config{BaseURL: url, AppKey: appKey, ClientID: id, ClientSecret: secret, Registry: reg})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// answering starts an emulator whose op opID answers status and body as
// written: a server that answers differently from the docs.
func answering(t *testing.T, opID string, status int, body string) *easemob.Client {
	t.Helper()
	c, srv := newClient(t, nil)
	require.NoError(t, srv.Handle(opID, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	return c
}

// clock is a settable time for the emulator.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time      { return c.now }
func (c *clock) add(d time.Duration) { c.now = c.now.Add(d) }
func newClock(t time.Time) (*clock, easemobtest.Option) {
	c := &clock{now: t}
	return c, easemobtest.WithClock(func() time.Time { return c.now })
}

// apiError requires err to be a server answer with the code and text.
func apiError(t *testing.T, err error, status int, code, desc string) *easemob.Error {
	t.Helper()
	var e *easemob.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, status, e.StatusCode, e.Error())
	if code != "" {
		assert.Equal(t, code, e.Code)
	}
	if desc != "" {
		assert.Contains(t, e.Description, desc)
	}
	return e
}

// invalid requires a validation error that spent nothing.
func invalid(t *testing.T, err error, what string) {
	t.Helper()
	var v *easemob.ValidationError
	assert.ErrorAs(t, err, &v, what)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, what)
}

func addUsers(t *testing.T, srv *easemobtest.Server, names ...string) {
	t.Helper()
	for _, n := range names {
		require.NoError(t, srv.AddUser(n, "pw"))
	}
}

var ctx = context.Background()

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// postJSON posts body with the token and returns the status and the
// decoded answer.
func postJSON(t *testing.T, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return resp.StatusCode, m
}
