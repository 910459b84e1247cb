package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/emquota/easemob/easemobtest"
)

var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "easemob-cli-test")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := 0
	func() {
		defer func() { _ = os.RemoveAll(dir) }()
		code = goleakRun(m)
	}()
	os.Exit(code)
}

// goleakRun runs the tests and then checks that none left a goroutine behind.
func goleakRun(m *testing.M) int {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			_, _ = os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			return 1
		}
	}
	return code
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the command once per test run, for tests that run it as
// a process (to kill it, or to run several at once).
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binPath = filepath.Join(binDir, "easemob")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

// result is what one in-process run of the tool printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

// cli runs the tool in process with the given environment only.
func cli(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, streams{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		env: func(k string) string { return env[k] }})
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// serverEnv is the environment that points the tool at srv, with a home of
// its own so that no config file of the machine is read.
func serverEnv(t *testing.T, srv *easemobtest.Server) map[string]string {
	return map[string]string{
		"EASEMOB_BASE_URL": srv.URL, "EASEMOB_APP_KEY": srv.AppKey,
		"EASEMOB_CLIENT_ID": srv.ClientID, "EASEMOB_CLIENT_SECRET": srv.ClientSecret,
		"HOME": t.TempDir(),
	}
}

// environ is env as a process environment, on top of PATH.
func environ(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// syncBuffer is a buffer a process and a test read and write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
