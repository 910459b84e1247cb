package core

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

const (
	testOrg    = "org"
	testApp    = "app"
	testAppKey = testOrg + "#" + testApp
	testPrefix = "/" + testOrg + "/" + testApp
)

// reply is one scripted answer.
type reply struct {
	status int
	body   string
	header http.Header
}

// seen is one request as the server received it.
type seen struct {
	method string
	path   string // escaped, without the org/app prefix
	query  string
	auth   string
	body   string
	header http.Header
}

// fakeServer serves the token endpoint and any user path. Answers are
// scripted per "METHOD /path" key; once a script runs out it answers 200
// with okBody.
type fakeServer struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	scripts  map[string][]reply
	reqs     []seen
	okBody   string
	tokenTTL int // expires_in of issued tokens, seconds

	// tokenGate, when set (under mu), is called inside the token handler
	// before it answers; n counts token requests from 1.
	tokenGate func(n int64)

	tokens atomic.Int64
}

func newFakeServer(t *testing.T) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, scripts: map[string][]reply{}, okBody: `{"entities":[]}`, tokenTTL: 7200}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeServer) URL() string { return f.srv.URL }

func (f *fakeServer) setTokenGate(g func(n int64)) {
	f.mu.Lock()
	f.tokenGate = g
	f.mu.Unlock()
}

// script queues answers for key, e.g. "GET /users/alice".
func (f *fakeServer) script(key string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[key] = append(f.scripts[key], rs...)
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path, ok := strings.CutPrefix(r.URL.EscapedPath(), testPrefix)
	if !ok {
		f.t.Errorf("request outside %s: %s", testPrefix, r.URL.EscapedPath())
		http.NotFound(w, r)
		return
	}
	key := r.Method + " " + path
	f.mu.Lock()
	f.reqs = append(f.reqs, seen{method: r.Method, path: path, query: r.URL.RawQuery, auth: r.Header.Get("Authorization"), body: string(body), header: r.Header.Clone()})
	var rep *reply
	if q := f.scripts[key]; len(q) > 0 {
		rep = &q[0]
		f.scripts[key] = q[1:]
	}
	okBody, ttl, gate := f.okBody, f.tokenTTL, f.tokenGate
	f.mu.Unlock()

	if key == "POST /token" {
		n := f.tokens.Add(1)
		if gate != nil {
			gate(n)
		}
		if rep == nil {
			w.Header().Set("Content-Type", "application/json")
			// expires_in as a string, as some answers carry it
			_, _ = io.WriteString(w, `{"access_token":"tok`+strconv.FormatInt(n, 10)+`","expires_in":"`+strconv.Itoa(ttl)+`","application":"x"}`)
			return
		}
	}
	if rep == nil {
		rep = &reply{status: http.StatusOK, body: okBody}
	}
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

// requests returns what the server saw.
func (f *fakeServer) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.reqs...)
}

// lastHeader returns header k of the last request.
func (f *fakeServer) lastHeader(k string) string {
	reqs := f.requests()
	if len(reqs) == 0 {
		return ""
	}
	return reqs[len(reqs)-1].header.Get(k)
}

// count returns how many requests matched key ("METHOD /path").
func (f *fakeServer) count(key string) int {
	n := 0
	for _, s := range f.requests() {
		if s.method+" "+s.path == key {
			n++
		}
	}
	return n
}

// highQuotas is the catalog's table with every count raised so that quota
// never waits in tests that are not about quota.
func highQuotas() []ratelimit.Quota {
	qs := make([]ratelimit.Quota, len(catalog.Groups))
	for i, q := range catalog.Groups {
		lims := append([]ratelimit.Limit(nil), q.Limits...)
		for j := range lims {
			lims[j].Count = 1_000_000
		}
		qs[i] = ratelimit.Quota{Group: q.Group, Limits: lims}
	}
	return qs
}

var fastRetry = option.RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}

// testOptions are working options against f with high limits.
func testOptions(f *fakeServer) Options {
	return Options{
		BaseURL:      f.URL(),
		AppKey:       testAppKey,
		ClientID:     "id",
		ClientSecret: "secret",
		Limits:       ratelimit.NewRegistry(highQuotas()).App(testAppKey),
		Retry:        fastRetry,
	}
}

func newTestClient(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := New(o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// apiError builds a JSON error body.
func apiError(status int, code, desc string) reply {
	return reply{status: status, body: `{"error":"` + code + `","error_description":"` + desc + `"}`}
}

// manualTime is an injectable Options.Now.
type manualTime struct {
	mu  sync.Mutex
	now time.Time
}

func (m *manualTime) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

func (m *manualTime) Advance(d time.Duration) {
	m.mu.Lock()
	m.now = m.now.Add(d)
	m.mu.Unlock()
}
