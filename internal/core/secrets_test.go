package core

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

// A server that echoes the secret and the token in its error body leaks
// neither into the error, its %+v or its %#v.
func TestErrorsCarryNoCredentials(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	require.NoError(t, getUser(c, "warm")) // fetches tok1
	echo := `{"error":"bad secret","error_description":"client_secret=secret token=tok1 other=YWMtAbCdEfGhIjKlMnOpQrSt","exception":"tok1"}`
	f.script("GET /users/u", reply{status: http.StatusBadRequest, body: echo})
	err := getUser(c, "u")
	require.Error(t, err)
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, text, "secret=secret")
		assert.NotContains(t, text, "tok1")
		assert.NotContains(t, text, "YWMtAbCdEfGhIjKlMnOpQrSt")
	}
	assert.Contains(t, err.Error(), "[redacted]")
}

// Error text copied from a body is bounded: a 1 MiB body is not a 1 MiB message.
func TestErrorTextBounded(t *testing.T) {
	f := newFakeServer(t)
	o := testOptions(f)
	o.Token = "static"
	c := newTestClient(t, o)
	f.script("GET /users/u", reply{status: http.StatusBadRequest, body: strings.Repeat("x", 1<<20)})
	err := getUser(c, "u")
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 1024)
}

// The token request follows no redirect: a 307 would re-post the client
// secret to the host the answer names.
func TestTokenRequestFollowsNoRedirect(t *testing.T) {
	var stolen atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), "secret") {
			stolen.Add(1)
		}
	}))
	defer elsewhere.Close()
	f := newFakeServer(t)
	f.script("POST /token", reply{status: http.StatusTemporaryRedirect, header: http.Header{"Location": {elsewhere.URL + "/token"}}})
	c := newTestClient(t, testOptions(f))
	err := c.Do(context.Background(), &Request{Op: catalog.UsersGet, Path: P("username", "u")})
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusTemporaryRedirect, e.StatusCode)
	assert.Zero(t, stolen.Load(), "the secret went nowhere else")
}

// Close releases the client: later calls fail with ErrClosed.
func TestClose(t *testing.T) {
	f := newFakeServer(t)
	c := newTestClient(t, testOptions(f))
	require.NoError(t, getUser(c, "u"))
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	assert.ErrorIs(t, getUser(c, "u"), ErrClosed)
}
