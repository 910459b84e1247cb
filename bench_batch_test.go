package easemob_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

// BenchmarkRegisterBatch registers 6000 users in one RegisterBatch call
// (100 server calls of 60) against the emulator with 25 ms added on each
// leg of every call (50 ms a round trip), and compares the makespan with
// the quota-bound ideal: 100 calls at the documented 100 calls/s of
// users.account_write take 1 s. "sequential" sends one chunk at a time, as
// the SDK did before chunks went out concurrently.
func BenchmarkRegisterBatch(b *testing.B) {
	for _, tc := range []struct {
		name string
		opts []option.Call
	}{
		{"concurrent", nil},
		{"sequential", []option.Call{option.Concurrency(1)}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) { benchRegisterBatch(b, 6000, 25*time.Millisecond, tc.opts) })
		})
	}
}

func benchRegisterBatch(b *testing.B, n int, leg time.Duration, opts []option.Call) {
	emu := easemobtest.New()
	ts := httptest.NewServer(delayed(emu.Handler(), leg))
	defer ts.Close()
	c, err := easemob.New(easemob.Config{
		BaseURL: ts.URL, AppKey: emu.AppKey(), ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(),
		Registry: easemob.NewRegistry(),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	// The token is fetched outside the measured run, in another group.
	if err := emu.AddUser("warmup", "pw"); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Users.Online(ctx, "warmup"); err != nil {
		b.Fatal(err)
	}
	accounts := make([]users.NewUser, n)
	for i := range accounts {
		accounts[i] = users.NewUser{Username: fmt.Sprintf("u%05d", i), Password: "pw"}
	}
	start := time.Now()
	res, err := c.Users.RegisterBatch(ctx, accounts, opts...)
	took := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	st := emu.Stats(easemob.GroupUsersAccountWrite)
	calls := (n + 59) / 60
	lim := limiterOf(b, c, easemob.GroupUsersAccountWrite).Limits()[0]
	ideal := time.Duration(calls) * lim.Window / time.Duration(lim.Count)
	b.ReportMetric(took.Seconds(), "makespan_s")
	b.ReportMetric(took.Seconds()/ideal.Seconds(), "x_ideal")
	b.ReportMetric(float64(st.RateLimited), "429s")
	b.ReportMetric(float64(st.MaxInWindow[0]), "busiest_window")
	b.Logf("%d users in %d calls: makespan %s, ideal %s (%.3fx), %d done, %d 429s, busiest window %d of %d",
		n, st.Received, took.Round(time.Millisecond), ideal, took.Seconds()/ideal.Seconds(),
		res.Count(batch.Done), st.RateLimited, st.MaxInWindow[0], lim.Count)
}

// delayed adds leg before the handler sees a request (so the emulator
// counts it on arrival after the delay) and again before its answer leaves.
func delayed(h http.Handler, leg time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(leg)
		rec := &bufferedWriter{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		time.Sleep(leg)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

// bufferedWriter holds an answer until the return leg's delay has passed.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header         { return w.header }
func (w *bufferedWriter) WriteHeader(code int)        { w.status = code }
func (w *bufferedWriter) Write(p []byte) (int, error) { return w.body.Write(p) }
