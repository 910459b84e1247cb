// Command callbacks walks through the callbacks module as a recovery job
// would after a webhook outage: list the 10-minute slices of failed
// post-send webhooks the server stored, ask for each to be redelivered,
// and see the redeliveries counted.
//
// It runs against an embedded emulator, seeded with a few failures,
// unless EASEMOB_BASE_URL, EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and
// EASEMOB_CLIENT_SECRET name a server. On a server it really redelivers
// what is stored, to the webhook URL of the app's rule; the app needs the
// callback storage service.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/callbacks"
	"github.com/emquota/easemob/examples/internal/exampleenv"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) error {
	c, err := easemob.New(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()

	sets, err := c.Callbacks.StorageInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d slices of failed webhooks stored\n", len(sets))
	for _, set := range sets {
		// Retry counts the set's redeliveries so far (the docs advise at
		// most 10); TargetURL could send them to another endpoint.
		ok, err := c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: set.Date, Retry: set.Retry})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d webhooks, redelivery accepted: %v\n", set.Date, set.Size, ok)
	}
	if sets, err = c.Callbacks.StorageInfo(ctx); err != nil {
		return err
	}
	for _, set := range sets {
		fmt.Fprintf(out, "%s now redelivered %d times\n", set.Date, set.Retry)
	}

	// A slice with nothing stored (or older than 3 days) is not an error:
	// the server answers failure. A malformed key never leaves the client.
	ok, err := c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "200001010000"})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "redelivery of an empty slice accepted: %v\n", ok)
	_, err = c.Callbacks.Redeliver(ctx, callbacks.Redelivery{Date: "2000-01-01 00:00"})
	var invalid *easemob.ValidationError
	if !errors.As(err, &invalid) {
		return fmt.Errorf("a malformed slice key should be refused: %w", err)
	}
	fmt.Fprintf(out, "a malformed slice key is refused before sending: invalid %s\n", invalid.Field)
	return nil
}
