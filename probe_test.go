package easemob_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
)

// probeServer answers every call with the op's documented example (the
// token fetch with a token) and records what it was sent.
type probeServer struct {
	*httptest.Server
	op *catalog.Op

	mu   sync.Mutex
	reqs []probeRequest // the op's requests, not the token fetches
	all  int            // every request, token fetches included
}

// probeRequest is one recorded request.
type probeRequest struct {
	method, path, contentType string // path: escaped, below /org/app
	query                     url.Values
	body                      []byte
}

const probeSecret = "probe-client-secret-Zk3"

func newProbeServer(tb testing.TB, op *catalog.Op) *probeServer {
	s := &probeServer{op: op}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

func (s *probeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/probe-org/probe-app")
	s.mu.Lock()
	s.all++
	fetch := path == "/token" && strings.Contains(string(body), "client_credentials") && s.op.ID != catalog.AuthGetAppToken.ID
	if !fetch {
		s.reqs = append(s.reqs, probeRequest{method: r.Method, path: path, contentType: r.Header.Get("Content-Type"),
			query: r.URL.Query(), body: body})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case fetch:
		_, _ = io.WriteString(w, `{"access_token":"YWMt-probe-token","expires_in":3600,"application":"probe"}`)
	case s.op.Binary:
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = io.WriteString(w, "file bytes")
	default:
		_, _ = io.WriteString(w, s.op.Example)
	}
}

func (s *probeServer) requests() ([]probeRequest, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]probeRequest(nil), s.reqs...), s.all
}

// client returns a client of s with a registry of its own.
func (s *probeServer) client(tb testing.TB) *easemob.Client {
	c, err := easemob.New(easemob.Config{BaseURL: s.URL, AppKey: "probe-org#probe-app", ClientID: "probe-id",
		ClientSecret: probeSecret, HTTPClient: s.Client(), Registry: easemob.NewRegistry()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// where is where a slot's value landed in a request: a path parameter, a
// query parameter or a body field (dotted, without indices; "$" the body).
type where struct {
	in   string // "path", "query", "body" or "" (nowhere seen)
	name string
}

// layout is where each slot of an op's call lands.
type layout struct {
	strs  []where // by string slot
	lists []where // by list slot: where its first item landed
	query url.Values
}

// probe calls oc with markers against a probeServer and tells where each
// slot's marker landed. The call must reach the wire.
func probe(t testing.TB, oc opCall) (layout, bool) {
	t.Helper()
	srv := newProbeServer(t, oc.op)
	c := srv.client(t)
	s := newSlots()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := oc.call(ctx, c, s)
	reqs, _ := srv.requests()
	if len(reqs) == 0 {
		t.Errorf("%s: the generated call did not reach the wire: %v", oc.op.ID, err)
		return layout{}, false
	}
	r := reqs[0]
	lay := layout{strs: make([]where, s.strs), query: r.query}
	for i := range lay.strs {
		lay.strs[i] = r.find(oc.op, s.marker(i))
	}
	// A list's place is that of its first item.
	lay.lists = make([]where, s.lists)
	for i := len(s.owner) - 1; i >= 0; i-- {
		if l := s.owner[i]; l >= 0 {
			lay.lists[l] = lay.strs[i]
		}
	}
	return lay, true
}

// find says where marker m landed in r.
func (r probeRequest) find(op *catalog.Op, m string) where {
	tmpl := strings.Split(strings.Trim(op.Path, "/"), "/")
	segs := strings.Split(strings.Trim(r.path, "/"), "/")
	if len(tmpl) == len(segs) {
		for i, t := range tmpl {
			if !strings.HasPrefix(t, "{") {
				continue
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				continue
			}
			for _, part := range strings.Split(v, ",") {
				if part == m {
					return where{"path", strings.Trim(t, "{}")}
				}
			}
		}
	}
	for k, vs := range r.query {
		for _, v := range vs {
			for _, part := range strings.Split(v, ",") {
				if part == m {
					return where{"query", k}
				}
			}
		}
	}
	if strings.HasPrefix(r.contentType, "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(r.body)); err == nil {
			for k, vs := range form {
				for _, v := range vs {
					if v == m {
						return where{"body", k}
					}
				}
			}
		}
	}
	var v any
	if json.Unmarshal(r.body, &v) == nil {
		if p, ok := jsonFind(v, "", m); ok {
			if p == "" {
				p = "$"
			}
			return where{"body", p}
		}
	} else if strings.Contains(string(r.body), m) {
		return where{"body", "(multipart)"}
	}
	return where{}
}

// jsonFind returns the dotted path of the first string equal to m in v.
func jsonFind(v any, at, m string) (string, bool) {
	switch x := v.(type) {
	case string:
		return at, x == m
	case []any:
		for _, e := range x {
			if p, ok := jsonFind(e, at, m); ok {
				return p, true
			}
		}
	case map[string]any:
		for k, e := range x {
			if k == m {
				return join(at, k), true
			}
			if p, ok := jsonFind(e, join(at, k), m); ok {
				return p, true
			}
		}
	}
	return "", false
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}
