package easemob_test

import (
	"net/http/httptest"

	"github.com/emquota/easemob/easemobtest"
)

func httptestServer(e *easemobtest.Emulator) *httptest.Server { return httptest.NewServer(e.Handler()) }
