// Package wiretest holds the wire snapshots every API module runs: each
// case calls one SDK method against a server that records the request
// and answers with the op's documented example. The harness then checks
// that exactly one request of the op's method and path went out, that it
// matches the case's golden file (testdata/wire/<case>.json), that it
// keeps to the op's documented schema, and that the method decoded the
// documented example without losing its fields.
//
//	go test ./users -run Wire -update   # rewrite the goldens
package wiretest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
)

var update = flag.Bool("update", false, "rewrite the wire goldens in testdata/wire")

// Dir is where a module's goldens live, relative to its package directory.
const Dir = "testdata/wire"

// Case is one wire snapshot.
type Case struct {
	// Name names the golden file; letters, digits, '_', '-' and '.'.
	Name string
	// Op is the operation the call must make.
	Op *catalog.Op
	// Call calls the SDK method and returns what it returned.
	Call func(ctx context.Context, c *easemob.Client) (any, error)
	// Drops lists the example's fields the result deliberately does not
	// keep, each with the reason: a dotted path without array indices
	// ("entities.type", "data.user1") or a parent of such paths.
	Drops map[string]string
}

// The client's credentials; the App Key is the prefix of every path.
const (
	org, app     = "wire-org", "wire-app"
	clientID     = "wire-client-id"
	clientSecret = "wire-client-secret"
)

var caseName = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Run runs each case as a subtest against the goldens in Dir, and fails
// on a golden no case writes (with -update, removes it).
func Run(t *testing.T, cases []Case) {
	t.Helper()
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.Name] {
			t.Errorf("two cases named %q", c.Name)
		}
		names[c.Name] = true
		t.Run(c.Name, func(t *testing.T) { check(t, Dir, *update, c) })
	}
	files, err := filepath.Glob(filepath.Join(Dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if names[strings.TrimSuffix(filepath.Base(f), ".json")] {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Error(err)
			}
			continue
		}
		t.Errorf("%s: no case writes this golden; run with -update to remove it", f)
	}
}

// check runs one case; dir holds the goldens and update rewrites them.
func check(tb testing.TB, dir string, update bool, c Case) {
	tb.Helper()
	if !caseName.MatchString(c.Name) || c.Op == nil || c.Call == nil {
		tb.Fatalf("case %q needs a file-safe name, an Op and a Call", c.Name)
	}
	if c.Op.Example == "" && !c.Op.Binary {
		tb.Errorf("%s has no documented example to answer with", c.Op.ID)
	}
	srv := newServer(c.Op)
	tb.Cleanup(srv.Close)
	cfg := easemob.Config{
		BaseURL: srv.URL, AppKey: org + "#" + app,
		ClientID: clientID, ClientSecret: clientSecret,
		HTTPClient: srv.Client(), Registry: easemob.NewRegistry(),
	}
	client, err := easemob.New(cfg)
	if err != nil {
		tb.Fatalf("easemob.New: %v", err)
	}
	tb.Cleanup(func() { _ = client.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	result, callErr := c.Call(ctx, client)
	if callErr != nil {
		tb.Errorf("%s: the call failed on the documented example: %v", c.Op.ID, callErr)
	}
	reqs := srv.requests()
	if len(reqs) != 1 {
		tb.Errorf("%s: %d requests besides the token, want exactly 1: %s", c.Op.ID, len(reqs), describe(reqs))
		if len(reqs) == 0 {
			return
		}
	}
	sent := len(reqs)
	if c.Op.Group == catalog.GroupAuthToken {
		sent += srv.tokenFetches() // the same group's budget paid for them
	}
	checkSpent(tb, c.Op, client, sent)
	rec := reqs[0]
	rec.Op = c.Op.ID
	checkRequest(tb, c.Op, rec)
	checkGolden(tb, filepath.Join(dir, c.Name+".json"), update, rec)
	if callErr == nil && !c.Op.Binary && c.Op.Example != "" {
		checkResult(tb, c, result)
	}
}

// checkSpent holds the call to the limiter of the op's documented group:
// the client counted every request it sent in that group, and none in
// another (but the token fetch's).
func checkSpent(tb testing.TB, op *catalog.Op, client *easemob.Client, sent int) {
	tb.Helper()
	group, token := catalog.Groups[op.Group].Group, catalog.Groups[catalog.GroupAuthToken].Group
	counted := 0
	for _, st := range client.Stats() {
		switch st.Group {
		case group:
			counted = int(st.Sent)
		case token:
		default:
			tb.Errorf("%s: a request went out on the quota of group %s, not %s", op.ID, st.Group, group)
		}
	}
	if counted != sent {
		tb.Errorf("%s: %d requests went out, %d of them through the limiter of group %s", op.ID, sent, counted, group)
	}
}

func describe(reqs []*Request) string {
	var parts []string
	for _, r := range reqs {
		parts = append(parts, r.Method+" "+r.Path)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// checkResult requires every documented value of the example to be held
// by the result, unless the case drops it.
func checkResult(tb testing.TB, c Case, result any) {
	tb.Helper()
	lost, stale, err := droppedFields(c.Op.Example, result, c.Drops)
	if err != nil {
		tb.Errorf("%s: %v", c.Op.ID, err)
		return
	}
	for _, l := range lost {
		tb.Errorf("%s: the result dropped the documented %s (list it in Drops with a reason if meant)", c.Op.ID, l)
	}
	for _, d := range stale {
		tb.Errorf("%s: Drops names %q, which the example does not have", c.Op.ID, d)
	}
}

// server records the requests of one case and answers them.
type server struct {
	*httptest.Server
	op *catalog.Op

	mu        sync.Mutex
	reqs      []*Request
	appTokens int // the client's own token fetches
}

func (s *server) tokenFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.appTokens
}

func newServer(op *catalog.Op) *server {
	s := &server{op: op}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// tokenAnswer is the answer to the client's own token fetch.
const tokenAnswer = `{"access_token":"` + AppToken + `","expires_in":3600,"application":"wire-app-uuid"}`

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	prefix := "/" + org + "/" + app
	w.Header().Set("Content-Type", "application/json")
	if s.op.ID != catalog.AuthGetAppToken.ID && r.Method == http.MethodPost && r.URL.Path == prefix+"/token" && isAppTokenFetch(body) {
		s.mu.Lock()
		s.appTokens++
		s.mu.Unlock()
		_, _ = io.WriteString(w, tokenAnswer)
		return
	}
	var rec *Request
	if err == nil {
		// The goldens hold no credential, not even the harness's own.
		body = bytes.ReplaceAll(body, []byte(clientSecret), []byte("(client secret)"))
		rec, err = record(r, body, prefix)
	}
	if err != nil {
		rec = &Request{Method: r.Method, Path: r.URL.EscapedPath(), Text: string(body), unreadable: err.Error()}
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	s.mu.Unlock()
	if s.op.Binary {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(binaryAnswer)
		return
	}
	_, _ = io.WriteString(w, s.op.Example)
}

// isAppTokenFetch tells the client's own app-token fetch from a user-token
// request, which shares its path and is the call a case makes.
func isAppTokenFetch(body []byte) bool {
	var b struct {
		GrantType string `json:"grant_type"`
	}
	return json.Unmarshal(body, &b) != nil || b.GrantType == "client_credentials"
}

// binaryAnswer stands for the file a Binary op answers with.
var binaryAnswer = []byte("\x89wire\x00\x01")

// requests returns what was recorded.
func (s *server) requests() []*Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}
