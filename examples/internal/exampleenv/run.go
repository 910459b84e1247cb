package exampleenv

import (
	"context"
	"io"
	"log"
	"os"
	"time"

	"github.com/emquota/easemob"
)

// Program is an example's body: it makes its calls with a client for cfg
// and prints what they return to out.
type Program func(ctx context.Context, cfg easemob.Config, out io.Writer) error

// Main is an example's main: it runs run against the server Config gives,
// within a minute, printing to standard output.
func Main(run Program) {
	cfg, _, stop := Config()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	err := run(ctx, cfg, os.Stdout)
	cancel()
	stop()
	if err != nil {
		log.Fatal(err)
	}
}
