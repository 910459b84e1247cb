// Package emutest holds what the modules' tests against the emulator
// share: a client on a fresh emulator, and a server that rewrites some of
// the emulator's answers to play a server that answers differently from
// the docs.
package emutest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
)

// NewClient starts an emulator configured by opts and a client on it with
// a registry of its own, so tests do not share budgets; both close when
// the test ends.
func NewClient(tb testing.TB, opts ...easemobtest.Option) (*easemob.Client, *easemobtest.Server) {
	tb.Helper()
	srv := easemobtest.NewServer(tb, opts...)
	return clientOf(tb, srv.URL, srv.Emulator), srv
}

// Rewriting serves a fresh emulator, but edit changes the status and body
// of the answers to the requests match picks. It returns a client of its
// own on it, and the emulator to seed.
func Rewriting(tb testing.TB, match func(*http.Request) bool, edit func(status int, body []byte) (int, []byte)) (*easemob.Client, *easemobtest.Emulator) {
	tb.Helper()
	emu := easemobtest.New()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !match(r) {
			emu.Handler().ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		emu.Handler().ServeHTTP(rec, r)
		status, body := edit(rec.Code, rec.Body.Bytes())
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	tb.Cleanup(ts.Close)
	return clientOf(tb, ts.URL, emu), emu
}

func clientOf(tb testing.TB, url string, emu *easemobtest.Emulator) *easemob.Client {
	tb.Helper()
	c, err := easemob.New(easemob.Config{BaseURL: url, AppKey: emu.AppKey(), ClientID: emu.ClientID(),
		ClientSecret: emu.ClientSecret(), Registry: easemob.NewRegistry()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}
