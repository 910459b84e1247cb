package easemob_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

// h2Transport counts the SDK's requests over HTTP/2 and the answers that
// came over another protocol.
type h2Transport struct {
	countingTransport
	notH2 atomic.Int32
}

func (h *h2Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.countingTransport.RoundTrip(r)
	if err == nil && resp.ProtoMajor != 2 {
		h.notH2.Add(1)
	}
	return resp, err
}

// h2Rig is the emulator served over TLS with HTTP/2, and a client of it.
func h2Rig(t *testing.T, op *catalog.Op) (*easemobtest.Emulator, *httptest.Server, *easemob.Client, *h2Transport) {
	t.Helper()
	emu := easemobtest.New(easemobtest.WithQuotas(generousQuotas()...))
	ts := httptest.NewUnstartedServer(emu.Handler())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	t.Cleanup(ts.Close)
	base := ts.Client().Transport.(*http.Transport)
	t.Cleanup(base.CloseIdleConnections)
	tr := &h2Transport{countingTransport: countingTransport{base: base, op: op}}
	c, err := easemob.New(easemob.Config{
		BaseURL: ts.URL, AppKey: emu.AppKey(), ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		HTTPClient: &http.Client{Transport: tr},
		Registry:   ratelimit.NewRegistry(generousQuotas(), ratelimit.WithoutAdaptation()),
		Retry:      suiteRetry,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return emu, ts, c, tr
}

// Over HTTP/2 a drop is a reset of the call's stream (the handler's abort
// becomes RST_STREAM), and a lost connection resets every stream on it.
// The SDK applies the same retry rule as over HTTP/1.1, and every body it
// sends can be replayed by the transport's own retries (GOAWAY, refused
// streams), which need http.Request.GetBody.
func TestFaultsOverHTTP2(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	n := suiteRetry.MaxAttempts

	t.Run("stream reset on a GET is resent", func(t *testing.T) {
		emu, _, c, tr := h2Rig(t, catalog.UsersGet)
		require.NoError(t, emu.AddUser("alice", "pw123"))
		require.NoError(t, emu.InjectFault(catalog.UsersGet.ID, easemobtest.Fault{Drop: easemobtest.DropBeforeServer, Count: 1}))
		u, err := c.Users.Get(ctx, "alice")
		require.NoError(t, err)
		assert.Equal(t, "alice", u.Username)
		attempts, _, unreplayed := tr.counts()
		assert.Equal(t, 2, attempts)
		assert.Empty(t, unreplayed)
		assert.Zero(t, tr.notH2.Load(), "every answer came over HTTP/2")
	})
	t.Run("stream reset on a PUT with a body is resent", func(t *testing.T) {
		emu, _, c, tr := h2Rig(t, catalog.UsersChangePassword)
		require.NoError(t, emu.AddUser("alice", "pw123"))
		require.NoError(t, emu.InjectFault(catalog.UsersChangePassword.ID, easemobtest.Fault{Drop: easemobtest.DropBeforeServer}))
		err := c.Users.ChangePassword(ctx, "alice", "new-pw")
		require.Error(t, err)
		attempts, _, unreplayed := tr.counts()
		assert.Equal(t, n, attempts, "an idempotent write is resent up to MaxAttempts")
		assert.Empty(t, unreplayed, "the PUT body is replayable")
		assert.Equal(t, easemobtest.OpStats{Dropped: n}, emu.OpStats(catalog.UsersChangePassword.ID))
	})
	t.Run("stream reset after a POST acted is not resent", func(t *testing.T) {
		emu, _, c, tr := h2Rig(t, catalog.UsersRegister)
		require.NoError(t, emu.InjectFault(catalog.UsersRegister.ID, easemobtest.Fault{Drop: easemobtest.DropAfterServer}))
		_, err := c.Users.Register(ctx, users.NewUser{Username: "bob", Password: "pw123"})
		require.Error(t, err)
		var apiErr *easemob.Error
		assert.NotErrorAs(t, err, &apiErr)
		attempts, _, unreplayed := tr.counts()
		assert.Equal(t, 1, attempts, "a send is not resent after an ambiguous failure")
		assert.Empty(t, unreplayed)
		assert.Equal(t, 1, emu.OpStats(catalog.UsersRegister.ID).Accepted, "the server registered bob")
	})
	t.Run("stream reset after a POST acted, resend allowed", func(t *testing.T) {
		emu, _, c, tr := h2Rig(t, catalog.UsersRegister)
		require.NoError(t, emu.InjectFault(catalog.UsersRegister.ID, easemobtest.Fault{Drop: easemobtest.DropAfterServer, Count: 1}))
		_, err := c.Users.Register(ctx, users.NewUser{Username: "bob", Password: "pw123"}, option.ResendAmbiguous())
		var apiErr *easemob.Error
		require.ErrorAs(t, err, &apiErr, "the resend meets the first call's effect")
		assert.Equal(t, 400, apiErr.StatusCode)
		attempts, _, _ := tr.counts()
		assert.Equal(t, 2, attempts)
	})
	t.Run("connection reset under every stream", func(t *testing.T) {
		emu, ts, c, tr := h2Rig(t, catalog.UsersList)
		var kills atomic.Int32
		require.NoError(t, emu.Handle(catalog.UsersList.ID, func(w http.ResponseWriter, _ *http.Request) {
			if kills.Add(1) == 1 {
				ts.CloseClientConnections() // the TCP connection goes, with every stream on it
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"entities":[],"count":0}`))
		}))
		_, err := c.Users.List(ctx, users.ListParams{Limit: 2})
		require.NoError(t, err, "the GET is resent on a new connection")
		attempts, _, _ := tr.counts()
		assert.Equal(t, 2, attempts)
	})
}
