package easemob_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// tokenLike matches the tokens Easemob issues (and the emulator and the
// wire harness imitate): "YWMt" and more base64.
var tokenLike = regexp.MustCompile(`YWMt[A-Za-z0-9_\-]{4,}`)

// Credentials of the harnesses the goldens are written with.
var harnessSecrets = []string{"wire-client-secret", easemobtest.DefaultClientSecret, probeSecret}

// The wire goldens record what the SDK sent: no client secret of any
// harness, no token, no Authorization header but the placeholders.
func TestGoldensHoldNoCredentials(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("*", "testdata", "wire", "*.json"))
	require.NoError(t, err)
	require.Greater(t, len(files), 200, "every module's goldens")
	auth := regexp.MustCompile(`"Authorization":\s*\[\s*"([^"]*)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, s := range harnessSecrets {
			assert.NotContains(t, string(b), s, "%s holds a client secret", f)
		}
		assert.Empty(t, tokenLike.FindAllString(string(b), -1), "%s holds a token", f)
		for _, m := range auth.FindAllStringSubmatch(string(b), -1) {
			assert.Contains(t, []string{"Bearer <app token>", "<redacted>"}, m[1], "%s: Authorization %q", f, m[1])
		}
	}
}

// leakWatch collects the credentials a run has seen and everything the
// caller was shown: errors, results and log lines.
type leakWatch struct {
	mu     sync.Mutex
	tokens map[string]bool
	shown  []string
	logs   bytes.Buffer
}

func (w *leakWatch) sawToken(header string) {
	tok := strings.TrimPrefix(header, "Bearer ")
	if tok == "" || tok == header {
		return
	}
	w.mu.Lock()
	w.tokens[tok] = true
	w.mu.Unlock()
}

func (w *leakWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.logs.Write(p)
}

// show records v as %v, %+v and %#v would print it, and as a JSON log
// line (slog's JSON handler marshals what has no LogValue).
func (w *leakWatch) show(logger *slog.Logger, what string, v any) {
	if v == nil {
		return
	}
	w.mu.Lock()
	w.shown = append(w.shown, fmt.Sprintf("%s: %v | %+v | %#v", what, v, v, v))
	w.mu.Unlock()
	logger.Error("call failed", slog.String("what", what), slog.Any("value", v))
}

// check fails on any credential in what was shown or logged.
func (w *leakWatch) check(t *testing.T, secret string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	all := append(append([]string(nil), w.shown...), w.logs.String())
	require.NotEmpty(t, w.tokens, "the run saw tokens")
	for _, text := range all {
		if i := strings.Index(text, secret); i >= 0 {
			t.Errorf("the client secret in: …%s…", around(text, i))
		}
		for tok := range w.tokens {
			if i := strings.Index(text, tok); i >= 0 {
				t.Errorf("a token in: …%s…", around(text, i))
			}
		}
	}
}

// around is the text near i.
func around(text string, i int) string { return text[max(i-200, 0):min(i+100, len(text))] }

// TestFailingCallsLeakNoCredentials calls every op's method under faults
// whose answers echo the client secret and the token the call carried,
// with the client's logger (Config.Logger: refusals, resends, rate cuts)
// and the registry's capturing what the SDK logs, and requires that no error,
// %+v or %#v of it, result or log line holds the secret or a token.
func TestFailingCallsLeakNoCredentials(t *testing.T) {
	calls, err := opCalls()
	require.NoError(t, err)
	const secret = "YXA6leak-test-secret-9f2c"
	w := &leakWatch{tokens: map[string]bool{}}
	logger := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))

	srv := easemobtest.NewServer(t, easemobtest.WithCredentials("YXA6leak-client", secret),
		easemobtest.WithQuotas(generousQuotas()...), easemobtest.WithOpenRegistration())
	srv.OnRequest(func(r *http.Request) { w.sawToken(r.Header.Get("Authorization")) })
	require.NoError(t, srv.AddUser("alice", "pw123"))
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	newClient := func() *easemob.Client {
		cfg := easemob.Config{BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: secret,
			HTTPClient: &http.Client{Transport: tr},
			Registry:   ratelimit.NewRegistry(generousQuotas(), ratelimit.WithLogger(logger)),
			Logger:     logger,
			Retry:      suiteRetry}
		w.show(logger, "config", cfg)
		c, err := easemob.New(cfg)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		return c
	}
	c := newClient()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Results that are credentials print without them.
	ut, err := c.Users.Token(ctx, "alice", "pw123", 0)
	require.NoError(t, err)
	w.sawToken("Bearer " + ut.AccessToken)
	w.show(logger, "user token", ut)
	at, err := c.Users.AppToken(ctx, 0)
	require.NoError(t, err)
	w.sawToken("Bearer " + at.AccessToken)
	w.show(logger, "app token", at)

	echo := func(code int) func(http.ResponseWriter, *http.Request) {
		return func(rw http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(code)
			fmt.Fprintf(rw, `{"error":"echo %s","error_description":"you sent %s with %q","exception":%q}`,
				secret, r.Header.Get("Authorization"), body, r.Header.Get("Authorization"))
		}
	}
	faults := []struct {
		name   string
		inject func(op *catalog.Op) error
	}{
		{"400 echo", func(op *catalog.Op) error { return srv.Handle(op.ID, echo(400)) }},
		{"500 echo", func(op *catalog.Op) error { return srv.Handle(op.ID, echo(500)) }},
		{"429 storm", func(op *catalog.Op) error { return srv.InjectFault(op.ID, easemobtest.Fault{Status: 429}) }},
		{"401 storm", func(op *catalog.Op) error { return srv.InjectFault(op.ID, easemobtest.Fault{Status: 401}) }},
		{"drop", func(op *catalog.Op) error {
			return srv.InjectFault(op.ID, easemobtest.Fault{Drop: easemobtest.DropAfterServer})
		}},
	}
	for _, oc := range calls {
		for _, f := range faults {
			srv.ClearFaults()
			require.NoError(t, srv.Handle(oc.op.ID, nil))
			require.NoError(t, f.inject(oc.op))
			s := newSlots()
			s.userToken = ut.AccessToken
			res, err := oc.call(ctx, c, s)
			require.Error(t, err, "%s under %s", oc.op.ID, f.name)
			w.show(logger, oc.op.ID+" "+f.name+" error", err)
			w.show(logger, oc.op.ID+" "+f.name+" result", res)
		}
	}
	// The token fetch itself fails with an answer that echoes the request,
	// client secret included.
	srv.ClearFaults()
	require.NoError(t, srv.Handle(catalog.AuthGetAppToken.ID, echo(400)))
	fresh := newClient()
	_, err = fresh.Users.Get(ctx, "alice")
	require.Error(t, err)
	w.show(logger, "token fetch error", err)
	var apiErr *easemob.Error
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, catalog.AuthGetAppToken.ID, apiErr.Op)

	w.check(t, secret)
	assert.Contains(t, w.logs.String(), "slowing the group down", "the rate refusals were logged")
	assert.Contains(t, w.logs.String(), `"op":`, "the client's own records were logged")
	t.Logf("%d ops × %d faults, %d values and %d log bytes checked", len(calls), len(faults), len(w.shown), w.logs.Len())
}
