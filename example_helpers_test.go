package easemob_test

import (
	"net/http/httptest"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/ratelimit"
)

func httptestServer(e *easemobtest.Emulator) *httptest.Server { return httptest.NewServer(e.Handler()) }

// limiterOf returns the client's limiter of group, failing the test if the
// group is unknown.
func limiterOf(tb testing.TB, c *easemob.Client, group string) *ratelimit.Limiter {
	tb.Helper()
	lim, err := c.Limiter(group)
	if err != nil {
		tb.Fatal(err)
	}
	return lim
}
