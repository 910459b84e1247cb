// Package emuclient starts what a module's behaviour tests run against: an
// emulator and an SDK client of it.
package emuclient

import (
	"fmt"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
)

// New starts an emulator configured by opts and a client of it with a
// registry of its own, so tests do not share budgets; both close when the
// test ends.
func New(tb testing.TB, opts ...easemobtest.Option) (*easemob.Client, *easemobtest.Server) {
	tb.Helper()
	srv := easemobtest.NewServer(tb, opts...)
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: easemob.NewRegistry(),
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c, srv
}

// Names returns n names: prefix followed by 000, 001, ...
func Names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}
