// Package hits records which operations a module's behaviour tests drove
// through the emulator, for the completeness test at the module root. A
// module's TestMain passes Record to goleak.VerifyTestMain:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(m, hits.Record()) }
//
// After a passing run, `go test ./<module> -update-hits` writes
// testdata/ops-hit.txt: every op that the emulator answered with success
// from its own handler (easemobtest.Served). A passing full run without the flag checks the file instead, so it cannot
// claim an op the tests no longer drive.
package hits

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.uber.org/goleak"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
)

// File is where a module keeps its list, relative to its package directory.
const File = "testdata/ops-hit.txt"

var update = flag.Bool("update-hits", false, "write "+File+": the ops the tests drove through the emulator")

// header opens the file.
const header = "# Ops this package's tests drove through the emulator (easemobtest.Served).\n" +
	"# Written by go test -update-hits; checked by every full passing run.\n"

// Record is the goleak option that, after a passing run, writes the list
// (with -update-hits) or checks it (a run of every test), then exits.
func Record() goleak.Option {
	return goleak.Cleanup(func(code int) {
		if code == 0 {
			if err := settle(); err != nil {
				fmt.Fprintln(os.Stderr, "hits:", err)
				code = 1
			}
		}
		os.Exit(code)
	})
}

func settle() error {
	hit := Hit()
	if *update {
		return write(File, hit)
	}
	if run := flag.Lookup("test.run"); run != nil && run.Value.String() != "" {
		return nil // a subset of the tests need not drive every op
	}
	listed, err := Read(File)
	if err != nil {
		return err
	}
	for _, id := range listed {
		if !slices.Contains(hit, id) {
			return fmt.Errorf("%s lists %s, which no test drove: run go test -update-hits", File, id)
		}
	}
	return nil
}

// Hit returns, in catalog order, the ops the process's emulators served.
func Hit() []string {
	var out []string
	for _, op := range catalog.Ops {
		if easemobtest.Served(op.ID) > 0 {
			out = append(out, op.ID)
		}
	}
	return out
}

func write(file string, ids []string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(header+strings.Join(ids, "\n")+"\n"), 0o644)
}

// Read returns the op ids a list holds; a missing file holds none.
func Read(file string) ([]string, error) {
	f, err := os.Open(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read only
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ids = append(ids, line)
		}
	}
	return ids, sc.Err()
}
