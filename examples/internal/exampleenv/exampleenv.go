// Package exampleenv gives every example program its server: the one the
// EASEMOB_* variables name, or else an emulator embedded in the program.
// An example for a new module copies examples/users and calls Config.
package exampleenv

import (
	"net/http/httptest"
	"os"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
)

// Config returns the client configuration for EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET when
// EASEMOB_BASE_URL is set; otherwise it starts an embedded emulator and
// returns it too (nil for a real server). stop shuts the emulator down.
func Config(opts ...easemobtest.Option) (cfg easemob.Config, emu *easemobtest.Emulator, stop func()) {
	if url := os.Getenv("EASEMOB_BASE_URL"); url != "" {
		return easemob.Config{
			BaseURL:      url,
			AppKey:       os.Getenv("EASEMOB_APP_KEY"),
			ClientID:     os.Getenv("EASEMOB_CLIENT_ID"),
			ClientSecret: os.Getenv("EASEMOB_CLIENT_SECRET"),
		}, nil, func() {}
	}
	emu = easemobtest.New(opts...)
	srv := httptest.NewServer(emu.Handler())
	return easemob.Config{
		BaseURL:      srv.URL,
		AppKey:       emu.AppKey(),
		ClientID:     emu.ClientID(),
		ClientSecret: emu.ClientSecret(),
	}, emu, srv.Close
}
