package easemob_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Benchmarks of the messages module (issue 10). Their length is set by
// flags; with -short they run a few seconds and small files, to check
// that they work:
//
//	go test -run '^$' -bench 'SendToUsers|FileTransfer' -benchtime 1x .
//	go test -run '^$' -bench 'SendToUsers|FileTransfer' -benchtime 1x -short .
var (
	msgBenchDuration = flag.Duration("msgbench.duration", 2*time.Minute, "how long BenchmarkSendToUsers sends (-short: 3s)")
	msgBenchCallers  = flag.Int("msgbench.callers", 16, "goroutines sending in BenchmarkSendToUsers")
)

// msgBenchRecipients is how many users each send names.
const msgBenchRecipients = 50

// BenchmarkSendToUsers sends one-to-one messages to 50 recipients a call
// from many goroutines for the flag's duration, at the documented quota
// (100 calls/s and 6000 messages/min) and again with both raised 100x on
// the client's registry (reg.Override) and on the emulator
// (easemobtest.WithQuotas). It reports, at the server:
//
//   - msgs/min÷quota: the messages accepted per minute over the run's
//     duration ÷ the quota (the first window may carry a burst of a whole
//     quota, so short runs read high);
//   - sustained÷quota: the same from one window after the first arrival
//     to the last, the rate a long job gets;
//   - 429s and 403s the server answered (calls and messages over quota);
//   - max_calls_1s and max_msgs_1m: the emulator's busiest window of each
//     side (emu.Stats(group).MaxInWindow), beside calls_quota, msgs_quota.
//
// The emulator's send handler is replaced (Handle) by one that answers
// the documented data without storing millions of messages; routing,
// auth and the server's quota, which the run measures, are the
// emulator's own.
func BenchmarkSendToUsers(b *testing.B) {
	d := *msgBenchDuration
	if testing.Short() {
		d = 3 * time.Second
	}
	for _, scale := range []int{1, 100} {
		b.Run(fmt.Sprintf("quota=x%d", scale), func(b *testing.B) {
			engRunOnce(b, func(b *testing.B) { msgBenchSend(b, scale, d) })
		})
	}
}

// msgBenchQuota is the send quota multiplied by scale.
func msgBenchQuota(scale int) ratelimit.Quota {
	return ratelimit.Quota{Group: easemob.GroupMessagesSendUsers, Limits: []ratelimit.Limit{
		{Count: 100 * scale, Window: time.Second, Unit: ratelimit.Calls},
		{Count: 6000 * scale, Window: time.Minute, Unit: ratelimit.Messages},
	}}
}

// msgArrival is one accepted send at the server: when, how many messages.
type msgArrival struct {
	at time.Time
	n  int
}

func msgBenchSend(b *testing.B, scale int, d time.Duration) {
	quota := msgBenchQuota(scale)
	var opts []easemobtest.Option
	if scale != 1 {
		opts = append(opts, easemobtest.WithQuotas(quota))
	}
	srv := easemobtest.NewServer(b, opts...)
	var mu sync.Mutex
	var arrivals []msgArrival
	if err := srv.Handle("messages.SendToUsers", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			To []string `json:"to"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		now := time.Now()
		data := make(map[string]string, len(req.To))
		for i, to := range req.To {
			data[to] = strconv.FormatInt(now.UnixNano()+int64(i), 10)
		}
		mu.Lock()
		arrivals = append(arrivals, msgArrival{now, len(req.To)})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"action": "post", "path": "/messages/users", "data": data})
	}); err != nil {
		b.Fatal(err)
	}
	reg := easemob.NewRegistry()
	if scale != 1 {
		if err := reg.Override(srv.AppKey, quota); err != nil {
			b.Fatal(err)
		}
	}
	c := engClient(b, srv, reg, option.RetryPolicy{})

	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	start := time.Now()
	var done, failed atomic.Int64
	var wg sync.WaitGroup
	for g := range *msgBenchCallers {
		to := make([]string, msgBenchRecipients)
		for i := range to {
			to[i] = fmt.Sprintf("g%d_u%d", g, i)
		}
		wg.Go(func() {
			for ctx.Err() == nil {
				res, err := c.Messages.Send(ctx, messages.ToUsers("admin", to...), messages.Text("benchmark"))
				if res != nil {
					done.Add(int64(res.Count(batch.Done)))
				}
				switch {
				case err == nil:
				case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || isWait(err):
					return // the run is over: its deadline refused the wait
				default:
					failed.Add(1)
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	// Rates are over the planned run: senders stop early when the next
	// quota opens after the deadline.
	elapsed := d
	stopped := time.Since(start)

	mu.Lock()
	at := append([]msgArrival(nil), arrivals...)
	mu.Unlock()
	sort.Slice(at, func(i, j int) bool { return at[i].at.Before(at[j].at) })
	perMin := float64(quota.Limits[1].Count)
	total, sustained := 0, 0
	var from time.Time
	if len(at) > 0 {
		from = at[0].at.Add(time.Minute)
	}
	for _, a := range at {
		total += a.n
		if !a.at.Before(from) {
			sustained += a.n
		}
	}
	st := srv.Stats(easemob.GroupMessagesSendUsers)
	b.ReportMetric(float64(total)/elapsed.Minutes()/perMin, "msgs/min÷quota")
	if span := elapsed - time.Minute; span > 0 {
		b.ReportMetric(float64(sustained)/span.Minutes()/perMin, "sustained÷quota")
	}
	b.ReportMetric(float64(st.RateLimited), "429s")
	b.ReportMetric(float64(st.QuotaExceeded), "403s")
	b.ReportMetric(float64(st.MaxInWindow[0]), "max_calls_1s")
	b.ReportMetric(float64(st.MaxInWindow[1]), "max_msgs_1m")
	b.ReportMetric(float64(quota.Limits[0].Count), "calls_quota")
	b.ReportMetric(perMin, "msgs_quota")
	b.Logf("quota x%d, %v (the last sender stopped after %v), %d callers: %d messages done (%d at the server), %d failed calls; 429s %d, 403s %d; busiest 1s %d calls of %d, busiest 1m %d messages of %.0f",
		scale, d, stopped.Round(time.Millisecond), *msgBenchCallers, done.Load(), total, failed.Load(),
		st.RateLimited, st.QuotaExceeded, st.MaxInWindow[0], quota.Limits[0].Count, st.MaxInWindow[1], perMin)
}

func isWait(err error) bool {
	var w *ratelimit.WaitError
	return errors.As(err, &w)
}

// msgBenchPattern is an endless deterministic stream of bytes, so a file
// of any size is generated while it is sent, never held.
type msgBenchPattern struct{ off int }

func (p *msgBenchPattern) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte((p.off + i) * 31 >> 3)
	}
	p.off += len(b)
	return len(b), nil
}

// BenchmarkFileTransfer uploads a file generated on the fly and downloads
// it again, at two sizes (20 MB and 200 MB; -short: 1 MB and 4 MB), and
// reports B/op: the SDK streams both ways, so the bytes allocated per
// transfer stay far below its size. The emulator keeps the file on disk
// (WithFileDir), with its file limit raised (WithFileLimit), so that it
// does not weigh in either; the download is checked by length and CRC.
func BenchmarkFileTransfer(b *testing.B) {
	sizes := []int64{20 << 20, 200 << 20}
	if testing.Short() {
		sizes = []int64{1 << 20, 4 << 20}
	}
	for _, size := range sizes {
		b.Run(fmt.Sprintf("size=%dMB", size>>20), func(b *testing.B) {
			srv := easemobtest.NewServer(b, easemobtest.WithFileDir(b.TempDir()), easemobtest.WithFileLimit(size))
			c := engClient(b, srv, easemob.NewRegistry(), option.RetryPolicy{})
			want := crc32.NewIEEE()
			if _, err := io.Copy(want, io.LimitReader(&msgBenchPattern{}, size)); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(2 * size) // up and down
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				att, err := c.Messages.Upload(context.Background(), messages.Upload{Name: "bench.bin",
					Content: io.LimitReader(&msgBenchPattern{}, size)})
				if err != nil {
					b.Fatal(err)
				}
				got := crc32.NewIEEE()
				n, err := c.Messages.Download(context.Background(), att.UUID, got, "")
				if err != nil {
					b.Fatal(err)
				}
				if n != size || got.Sum32() != want.Sum32() {
					b.Fatalf("downloaded %d bytes (crc %x), uploaded %d (crc %x)", n, got.Sum32(), size, want.Sum32())
				}
			}
		})
	}
}
