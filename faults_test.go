package easemob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// The fault suite: every op's SDK method (through the valid-call table of
// opcalls_test.go) against the emulator under each fault of faultKinds.
// For each it checks how many requests went out against the retry rule of
// the op's method, the type of the error the caller gets, the outcome of
// every batch item, and that every request body could be replayed.

// suiteRetry makes resends quick; MaxAttempts bounds every storm.
var suiteRetry = option.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}

// retryClass is how the SDK's retry rule treats a failure.
type retryClass uint8

const (
	// final: never resent (a 4xx, a success that does not decode, a client timeout).
	final retryClass = iota
	// rateRefusal: a rate refusal, resent by every method but an upload.
	rateRefusal
	// ambiguous: a 5xx or a transport error, which leaves unknown whether the
	// server acted: resent by GET, PUT and DELETE, by POST only on
	// option.ResendAmbiguous, never by an upload.
	ambiguous
	// auth: a 401, answered by one token refresh and resend.
	auth
)

// faultKind is one fault, how it is set up and what the caller must see.
type faultKind struct {
	name  string
	class retryClass
	// once: only the first attempt fails.
	once bool
	// opts are the call's options.
	opts []option.Call
	// timeout is the call's deadline (10s when 0).
	timeout time.Duration
	// inject sets the fault up on a fresh emulator whose client holds a token.
	inject func(srv *easemobtest.Server, op *catalog.Op) error
	// check judges the error of a call that met the fault on every
	// attempt it made (a once fault that was resent is not checked).
	check func(t *testing.T, op *catalog.Op, err error)
	// items is the outcome every batch item must have after a failed call.
	items batch.Status
	// quotaUnit is the unit a rate refusal names: Messages for the message
	// quota's 403, Calls for the rest.
	quotaUnit ratelimit.Unit
}

func status(code, count int) func(*easemobtest.Server, *catalog.Op) error {
	return func(srv *easemobtest.Server, op *catalog.Op) error {
		return srv.InjectFault(op.ID, easemobtest.Fault{Status: code, Count: count})
	}
}

func drop(mode easemobtest.DropMode) func(*easemobtest.Server, *catalog.Op) error {
	return func(srv *easemobtest.Server, op *catalog.Op) error {
		return srv.InjectFault(op.ID, easemobtest.Fault{Drop: mode})
	}
}

// answer replaces the op's handler with one that writes status, headers and body.
func answer(code int, header map[string]string, body func(op *catalog.Op) string) func(*easemobtest.Server, *catalog.Op) error {
	return func(srv *easemobtest.Server, op *catalog.Op) error {
		b := body(op)
		return srv.Handle(op.ID, func(w http.ResponseWriter, _ *http.Request) {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(code)
			_, _ = io.WriteString(w, b)
		})
	}
}

func text(s string) func(*catalog.Op) string { return func(*catalog.Op) string { return s } }

// apiError requires an *easemob.Error of the status, matching target if set.
func apiError(code int, target error) func(*testing.T, *catalog.Op, error) {
	return func(t *testing.T, op *catalog.Op, err error) {
		var e *easemob.Error
		if assert.True(t, errors.As(err, &e), "%s: %T %v is not an *easemob.Error", op.ID, err, err) {
			assert.Equal(t, code, e.StatusCode, "%s: %v", op.ID, err)
		}
		if target != nil {
			assert.ErrorIs(t, err, target, "%s", op.ID)
		}
	}
}

// transportError requires the transport's error, wrapping want when set,
// and no server answer.
func transportError(want error) func(*testing.T, *catalog.Op, error) {
	return func(t *testing.T, op *catalog.Op, err error) {
		var e *easemob.Error
		assert.False(t, errors.As(err, &e), "%s: a dropped call is not a server answer: %v", op.ID, err)
		var ue *url.Error
		if want == nil {
			assert.True(t, errors.As(err, &ue), "%s: %T %v is not the transport's *url.Error", op.ID, err, err)
		} else {
			assert.ErrorIs(t, err, want, "%s", op.ID)
		}
	}
}

// decodeError requires an *easemob.DecodeError, or no error for a file download.
func decodeError(t *testing.T, op *catalog.Op, err error) {
	if op.Binary {
		assert.NoError(t, err, "%s: a download takes any bytes", op.ID)
		return
	}
	var e *easemob.DecodeError
	assert.True(t, errors.As(err, &e), "%s: %T %v is not an *easemob.DecodeError", op.ID, err, err)
	assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, "%s", op.ID)
}

func deadline(t *testing.T, op *catalog.Op, err error) {
	assert.ErrorIs(t, err, context.DeadlineExceeded, "%s", op.ID)
}

// quotaRefusal is the 403 the message quota answers.
const quotaRefusal = `{"error":"message_send_error","error_description":"message send reach limit","exception":"EasemobForbiddenOpException"}`

// half is the first half of the op's documented example: cut JSON.
func half(op *catalog.Op) string { return op.Example[:len(op.Example)/2] }

var faultKinds = []faultKind{
	{name: "500", class: ambiguous, inject: status(500, 0), check: apiError(500, nil), items: batch.Failed},
	{name: "503 once", class: ambiguous, once: true, inject: status(503, 1), check: apiError(503, nil), items: batch.Failed},
	{name: "500 ResendAmbiguous", class: ambiguous, opts: []option.Call{option.ResendAmbiguous()},
		inject: status(500, 0), check: apiError(500, nil), items: batch.Failed},
	{name: "502 HTML", class: ambiguous, inject: answer(502, map[string]string{"Content-Type": "text/html"}, text("<html><body>502 Bad Gateway</body></html>")),
		check: apiError(502, nil), items: batch.Failed},
	{name: "429 storm", class: rateRefusal, inject: status(429, 0), check: apiError(429, easemob.ErrRateLimited), items: batch.Failed},
	{name: "403 message quota storm", class: rateRefusal, inject: answer(403, nil, text(quotaRefusal)),
		check: apiError(403, easemob.ErrRateLimited), items: batch.Failed, quotaUnit: ratelimit.Messages},
	{name: "403 forbidden storm", class: final, inject: status(403, 0), check: apiError(403, easemob.ErrForbidden), items: batch.Failed},
	{name: "401 storm", class: auth, inject: status(401, 0), check: apiError(401, easemob.ErrUnauthorized), items: batch.Failed},
	{name: "token expired", class: auth, once: true, inject: func(srv *easemobtest.Server, _ *catalog.Op) error {
		srv.ExpireTokens()
		return nil
	}, check: apiError(401, easemob.ErrUnauthorized), items: batch.Failed},
	{name: "drop before server", class: ambiguous, inject: drop(easemobtest.DropBeforeServer), check: transportError(nil), items: batch.Unknown},
	{name: "drop after server", class: ambiguous, inject: drop(easemobtest.DropAfterServer), check: transportError(nil), items: batch.Unknown},
	{name: "drop after server ResendAmbiguous", class: ambiguous, opts: []option.Call{option.ResendAmbiguous()},
		inject: drop(easemobtest.DropAfterServer), check: transportError(nil), items: batch.Unknown},
	{name: "timeout", class: final, timeout: 150 * time.Millisecond, inject: func(srv *easemobtest.Server, op *catalog.Op) error {
		return srv.InjectFault(op.ID, easemobtest.Fault{Latency: 5 * time.Second})
	}, check: deadline, items: batch.Unknown},
	{name: "slow 503 once", class: ambiguous, once: true, inject: func(srv *easemobtest.Server, op *catalog.Op) error {
		return srv.InjectFault(op.ID, easemobtest.Fault{Latency: 30 * time.Millisecond, Status: 503, Count: 1})
	}, check: apiError(503, nil), items: batch.Failed},
	{name: "truncated body", class: ambiguous, inject: answer(200, map[string]string{"Content-Length": "100000"}, half),
		check: transportError(io.ErrUnexpectedEOF), items: batch.Unknown},
	{name: "cut JSON", class: final, inject: answer(200, nil, half), check: decodeError, items: batch.Unknown},
	{name: "non-JSON 200", class: final, inject: answer(200, map[string]string{"Content-Type": "text/html"}, text("<html>OK</html>")),
		check: decodeError, items: batch.Unknown},
	{name: "empty 200", class: final, inject: answer(200, nil, text("")), check: decodeError, items: batch.Unknown},
}

// wantAttempts is how many requests the retry rule allows for oc under f.
func wantAttempts(oc opCall, f faultKind) int {
	upload := oc.op.Content == catalog.ContentMultipart
	resendAmbiguous := option.Resolve(f.opts...).ResendAmbiguous
	again := suiteRetry.MaxAttempts
	if f.once {
		again = 2
	}
	switch f.class {
	case rateRefusal:
		if !upload && refusedWindow(oc.op, f.quotaUnit) <= 10*time.Second {
			return again
		}
	case ambiguous:
		if !upload && (oc.op.Method != http.MethodPost || resendAmbiguous) {
			return again
		}
	case auth:
		if !upload && appToken(oc.op) {
			return 2
		}
	}
	return 1
}

// refusedWindow is the shortest window of the op's documented limits in
// unit: a refusal of a side counted over longer than 10 s (a message
// quota per minute, a broadcast cap per day) would meet no room after a
// backoff, so it is not resent.
func refusedWindow(op *catalog.Op, unit ratelimit.Unit) time.Duration {
	var w time.Duration
	for _, l := range catalog.Groups[op.Group].Limits {
		if l.Unit == unit && (w == 0 || l.Window < w) {
			w = l.Window
		}
	}
	return w
}

// appToken reports an op that sends the app token: a 401 refreshes it.
func appToken(op *catalog.Op) bool { return op.Auth != catalog.AuthNone && op.Auth != catalog.AuthUser }

// generousQuotas are the default groups with limits no test reaches: the
// suite is about faults, not quota (the broadcasts allow 1 call in 30 min).
func generousQuotas() []ratelimit.Quota {
	qs := easemob.DefaultQuotas()
	for i := range qs {
		lims := make([]ratelimit.Limit, len(qs[i].Limits))
		for j, l := range qs[i].Limits {
			l.Count, l.Window = 100000, time.Second
			lims[j] = l
		}
		qs[i].Limits = lims
	}
	return qs
}

// countingTransport counts the SDK's requests (its own token fetches
// apart) and checks that every request body can be replayed.
type countingTransport struct {
	base *http.Transport
	op   *catalog.Op

	mu         sync.Mutex
	attempts   int
	fetches    int
	unreplayed []string
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
	replayable := r.Body == nil || r.Body == http.NoBody || r.GetBody != nil
	if r.GetBody != nil {
		if rc, err := r.GetBody(); err == nil {
			body, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	fetch := c.op.ID != catalog.AuthGetAppToken.ID && strings.HasSuffix(r.URL.Path, "/token") &&
		bytes.Contains(body, []byte("client_credentials"))
	c.mu.Lock()
	switch {
	case fetch:
		c.fetches++
	default:
		c.attempts++
	}
	if !replayable && !multipart {
		c.unreplayed = append(c.unreplayed, r.Method+" "+r.URL.Path)
	}
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

func (c *countingTransport) counts() (attempts, fetches int, unreplayed []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.attempts, c.fetches, append([]string(nil), c.unreplayed...)
}

// faultRig is an emulator and a client of it that counts its requests.
type faultRig struct {
	srv *easemobtest.Server
	c   *easemob.Client
	tr  *countingTransport
}

func newFaultRig(t *testing.T, op *catalog.Op) *faultRig {
	t.Helper()
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(generousQuotas()...), easemobtest.WithOpenRegistration())
	tr := &countingTransport{base: &http.Transport{}, op: op}
	t.Cleanup(tr.base.CloseIdleConnections)
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		HTTPClient: &http.Client{Transport: tr},
		Registry:   ratelimit.NewRegistry(generousQuotas(), ratelimit.WithoutAdaptation()),
		Retry:      suiteRetry,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return &faultRig{srv: srv, c: c, tr: tr}
}

// warm makes the client fetch its token with a call of another op, so the
// fault meets a client as it is mid-run, and gives an op that takes a
// user's token one; then the counters start afresh.
func (r *faultRig) warm(t *testing.T, op *catalog.Op, s *slots) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if op.Auth == catalog.AuthUser {
		require.NoError(t, r.srv.AddUser(s.marker(0), "pw123"))
		tok, err := r.c.Users.Token(ctx, s.marker(0), "pw123", 0)
		require.NoError(t, err)
		s.userToken = tok.AccessToken
	}
	if op.ID == catalog.CallbacksGetStorageInfo.ID {
		_, _ = r.c.Users.Get(ctx, "warm")
	} else {
		_, _ = r.c.Callbacks.StorageInfo(ctx)
	}
	r.srv.ResetStats()
	r.tr.mu.Lock()
	r.tr.attempts, r.tr.fetches = 0, 0
	r.tr.mu.Unlock()
}

// TestFaults runs every op under every fault kind.
func TestFaults(t *testing.T) {
	calls, err := opCalls()
	require.NoError(t, err)
	for _, oc := range calls {
		t.Run(oc.op.ID, func(t *testing.T) {
			t.Parallel()
			for _, f := range faultKinds {
				t.Run(f.name, func(t *testing.T) { runFault(t, oc, f) })
			}
		})
	}
	t.Logf("%d ops × %d fault kinds", len(calls), len(faultKinds))
}

func runFault(t *testing.T, oc opCall, f faultKind) {
	rig := newFaultRig(t, oc.op)
	s := newSlots()
	s.items = 2 // a one-item list of some ops is another op's call
	rig.warm(t, oc.op, s)
	require.NoError(t, f.inject(rig.srv, oc.op))
	timeout := f.timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	res, err := oc.call(ctx, rig.c, s, f.opts...)

	attempts, fetches, unreplayed := rig.tr.counts()
	want := wantAttempts(oc, f)
	assert.Equal(t, want, attempts, "%s under %s: requests sent (%v)", oc.op.ID, f.name, err)
	assert.Empty(t, unreplayed, "%s: request bodies the transport cannot replay", oc.op.ID)
	st := rig.srv.OpStats(oc.op.ID)
	switch {
	case f.inject == nil:
	case strings.HasPrefix(f.name, "drop before"):
		assert.Zero(t, st.Received, "%s: the server saw a call dropped before it", oc.op.ID)
		assert.GreaterOrEqual(t, st.Dropped, attempts, "%s", oc.op.ID)
	case strings.HasPrefix(f.name, "drop"):
		// Go's transport resends a GET that met a closed reused connection.
		assert.GreaterOrEqual(t, st.Dropped, attempts, "%s", oc.op.ID)
		assert.LessOrEqual(t, st.Dropped, 2*attempts, "%s", oc.op.ID)
	case f.class == auth:
		// A call refused for its token is refused before the op counts it.
	default:
		assert.Equal(t, attempts, st.Received, "%s: the server's count", oc.op.ID)
	}
	switch f.class {
	case auth:
		wantFetches := 0
		if want == 2 {
			wantFetches = 1 // one refresh, whatever the storm
		}
		assert.Equal(t, wantFetches, fetches, "%s: token fetches", oc.op.ID)
	default:
		assert.Zero(t, fetches, "%s: a fault of the op fetched a token", oc.op.ID)
	}
	if f.once && want > 1 {
		// The resend met the emulator's own handler: whatever it answered
		// is a typed error or none.
		typed(t, oc.op, err)
	} else {
		if f.check != nil && !unrefreshedExpiry(oc.op, f) {
			if oc.op.Binary || assert.Error(t, err, "%s under %s", oc.op.ID, f.name) {
				f.check(t, oc.op, err)
			}
		}
	}
	if oc.batch {
		checkItems(t, oc, f, res, err, want)
	}
	if t.Failed() {
		t.Logf("%s under %s: %d requests (want %d), error %v", oc.op.ID, f.name, attempts, want, err)
	}
}

// unrefreshedExpiry: an expired token met by an op that sends none of the
// app's; its answer is the op's own.
func unrefreshedExpiry(op *catalog.Op, f faultKind) bool {
	return f.class == auth && f.once && !appToken(op)
}

// typed requires err, if any, to be one the SDK documents.
func typed(t *testing.T, op *catalog.Op, err error) {
	if err == nil {
		return
	}
	var (
		api *easemob.Error
		dec *easemob.DecodeError
		val *easemob.ValidationError
		be  *batch.Error
	)
	assert.True(t, errors.As(err, &api) || errors.As(err, &dec) || errors.As(err, &val) || errors.As(err, &be),
		"%s: untyped error %T %v", op.ID, err, err)
}

// checkItems requires every item of a batch result to end as done,
// refused with a reason, of unknown outcome or not sent, and, when the
// fault met every attempt, as the fault says.
func checkItems(t *testing.T, oc opCall, f faultKind, res any, err error, want int) {
	items, ok := batchItems(res)
	if !assert.True(t, ok, "%s: a batch method returned no result (%v)", oc.op.ID, err) {
		return
	}
	require.NotEmpty(t, items)
	var be *batch.Error
	if err != nil {
		require.True(t, errors.As(err, &be), "%s: a batch's error is a *batch.Error: %T %v", oc.op.ID, err, err)
		assert.Equal(t, len(items), be.Done+be.Failed+be.Unknown+be.NotSent, "%s: the error counts every item", oc.op.ID)
	}
	for i, it := range items {
		switch it.Status {
		case batch.Done:
		case batch.Failed:
			assert.NotEmpty(t, it.Reason, "%s: item %d failed without a reason", oc.op.ID, i)
		case batch.Unknown, batch.NotSent:
			assert.Error(t, it.Err, "%s: item %d is %s without the call's error", oc.op.ID, i, it.Status)
		default:
			t.Errorf("%s: item %d has status %d", oc.op.ID, i, it.Status)
		}
		if (!f.once || want <= 1) && !unrefreshedExpiry(oc.op, f) {
			assert.Equal(t, f.items.String(), it.Status.String(), "%s: item %d under %s (%v)", oc.op.ID, i, f.name, it.Err)
		}
	}
}

// batchFaults are the faults a batch of several calls meets: on one of
// its calls, or on all.
var batchFaults = []faultKind{
	{name: "503 once", class: ambiguous, once: true, inject: status(503, 1)},
	{name: "429 once", class: rateRefusal, once: true, inject: status(429, 1)},
	{name: "drop after server", class: ambiguous, inject: drop(easemobtest.DropAfterServer), items: batch.Unknown},
	{name: "400 storm", class: final, inject: status(400, 0), items: batch.Failed},
}

// TestBatchFaultsOverChunks gives every batch method over a capped op
// twice the items its op carries a call (two full calls: a call of one
// item is, on some paths, the single-item op's), and fails some or all
// of its calls: every input item comes back once, in a valid state, and
// the error counts them all.
func TestBatchFaultsOverChunks(t *testing.T) {
	calls, err := opCalls()
	require.NoError(t, err)
	n := 0
	for _, oc := range calls {
		if !oc.batch {
			continue
		}
		size := 0
		for _, c := range oc.op.Caps {
			if c.Kind == catalog.CapCount && c.Max > 0 {
				size = max(size, c.Max)
				if c.WarnAbove > 0 {
					size = max(size, c.WarnAbove)
				}
			}
		}
		if size < 2 {
			continue // one call whatever the input: the fault suite has it
		}
		n++
		t.Run(oc.op.ID, func(t *testing.T) {
			t.Parallel()
			for _, f := range batchFaults {
				t.Run(f.name, func(t *testing.T) {
					rig := newFaultRig(t, oc.op)
					s := newSlots()
					s.items = 2 * size
					rig.warm(t, oc.op, s)
					require.NoError(t, f.inject(rig.srv, oc.op))
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					defer cancel()
					res, err := oc.call(ctx, rig.c, s)
					items, ok := batchItems(res)
					require.True(t, ok, "%v", err)
					require.NotEmpty(t, items)
					checkItems(t, oc, faultKind{name: f.name, once: true}, res, err, 2)
					if !f.once {
						for i, it := range items {
							assert.Equal(t, f.items.String(), it.Status.String(), "%s: item %d under %s", oc.op.ID, i, f.name)
						}
					}
					attempts, _, _ := rig.tr.counts()
					if len(items) == 2*size {
						assert.GreaterOrEqual(t, attempts, 2, "%s: %d items made one call", oc.op.ID, len(items))
					}
				})
			}
		})
	}
	t.Logf("%d batch methods × %d faults", n, len(batchFaults))
}
