// Package exampletest runs the examples in their tests: against an
// embedded emulator, with what they print returned. Kept apart from
// exampleenv, which the example programs themselves run on.
package exampletest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/examples/internal/exampleenv"
)

// Emulated is Config for a test: always an embedded emulator, whatever
// the machine's EASEMOB_BASE_URL says, shut down when the test ends.
func Emulated(t testing.TB, opts ...easemobtest.Option) (easemob.Config, *easemobtest.Emulator) {
	t.Setenv("EASEMOB_BASE_URL", "")
	cfg, emu, stop := exampleenv.Config(opts...)
	t.Cleanup(stop)
	return cfg, emu
}

// Output runs run against cfg within 30 seconds and returns what it
// printed; an error fails the test.
func Output(t testing.TB, run exampleenv.Program, cfg easemob.Config) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, cfg, &out); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	return out.String()
}

// Run runs run against an emulator, as Emulated and Output do, and
// returns what it printed and the emulator, to check what is left.
func Run(t testing.TB, run exampleenv.Program) (string, *easemobtest.Emulator) {
	t.Helper()
	cfg, emu := Emulated(t)
	return Output(t, run, cfg), emu
}
