package prom_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/observe/prom"
	"github.com/emquota/easemob/users"
)

// A service exports its clients' waits, refusals and 429s per quota group
// on /metrics.
func Example() {
	emu := easemobtest.New()
	srv := httptest.NewServer(emu.Handler())
	defer srv.Close()

	col := prom.New()
	reg := prometheus.NewRegistry()
	reg.MustRegister(col)
	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	c, _ := easemob.New(easemob.Config{AppKey: emu.AppKey(), BaseURL: srv.URL,
		ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		Registry: easemob.NewRegistry(), Observer: col})
	defer c.Close()
	_, err := c.Users.Register(context.Background(), users.NewUser{Username: "alice", Password: "secret"})

	// One series per group used: the token fetch and the registration.
	n, _ := testutil.GatherAndCount(reg, "easemob_quota_acquisitions_total")
	fmt.Println(err, n)
	// Output: <nil> 2
}
