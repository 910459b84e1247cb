package easemobtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/emquota/easemob/easemobtest"
)

// The emulator served standalone and driven by a plain HTTP client: get an
// app token, register a user, read it back.
func Example() {
	emu := easemobtest.New(easemobtest.WithAppKey("acme#demo"))
	ts := httptest.NewServer(emu.Handler())
	defer ts.Close()
	base := ts.URL + "/acme/demo"

	call := func(method, path, token, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}

	_, tok := call("POST", "/token", "", fmt.Sprintf(
		`{"grant_type":"client_credentials","client_id":%q,"client_secret":%q}`, emu.ClientID(), emu.ClientSecret()))
	token := tok["access_token"].(string)

	status, _ := call("POST", "/users", token, `{"username":"Alice","password":"secret"}`)
	fmt.Println("register:", status)
	status, got := call("GET", "/users/alice", token, "")
	fmt.Println("get:", status, got["entities"].([]any)[0].(map[string]any)["username"])
	status, got = call("GET", "/users/alice", "", "")
	fmt.Println("no token:", status, got["error"])
	fmt.Println("users.get received:", emu.Stats("users.get").Received)
	// Output:
	// register: 200
	// get: 200 alice
	// no token: 401 unauthorized
	// users.get received: 1
}
