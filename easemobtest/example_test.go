package easemobtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/emquota/easemob/easemobtest"
)

// call sends one request to base+path and decodes the JSON answer.
func call(base, method, path, token, body string) (int, map[string]any) {
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

// serve starts emu on a local port and returns the base of its API paths,
// URL/{org}/{app}.
func serve(emu *easemobtest.Emulator) (base string, stop func()) {
	ts := httptest.NewServer(emu.Handler())
	return ts.URL + "/" + strings.Replace(emu.AppKey(), "#", "/", 1), ts.Close
}

// appToken gets an app token from the emulator at base.
func appToken(emu *easemobtest.Emulator, base string) string {
	_, tok := call(base, "POST", "/token", "", fmt.Sprintf(
		`{"grant_type":"client_credentials","client_id":%q,"client_secret":%q}`, emu.ClientID(), emu.ClientSecret()))
	return tok["access_token"].(string)
}

// The emulator served standalone and driven by a plain HTTP client: get an
// app token, register a user, read it back.
func Example() {
	emu := easemobtest.New(easemobtest.WithAppKey("acme#demo"))
	base, stop := serve(emu)
	defer stop()
	token := appToken(emu, base)

	status, _ := call(base, "POST", "/users", token, `{"username":"Alice","password":"secret"}`)
	fmt.Println("register:", status)
	status, got := call(base, "GET", "/users/alice", token, "")
	fmt.Println("get:", status, got["entities"].([]any)[0].(map[string]any)["username"])
	status, got = call(base, "GET", "/users/alice", "", "")
	fmt.Println("no token:", status, got["error"])
	fmt.Println("users.get received:", emu.Stats("users.get").Received)
	// Output:
	// register: 200
	// get: 200 alice
	// no token: 401 unauthorized
	// users.get received: 1
}

// A test of a client's error paths fails one op's next call, then checks
// what the server saw.
func ExampleEmulator_InjectFault() {
	emu := easemobtest.New()
	base, stop := serve(emu)
	defer stop()
	token := appToken(emu, base)
	_ = emu.AddUser("alice", "pw")

	_ = emu.InjectFault("users.Get", easemobtest.Fault{Status: http.StatusServiceUnavailable, Count: 1})
	for range 2 {
		status, _ := call(base, "GET", "/users/alice", token, "")
		fmt.Println("get:", status)
	}
	st := emu.OpStats("users.Get")
	fmt.Println("received:", st.Received, "injected:", st.Injected, "answers:", st.Statuses)
	// Output:
	// get: 503
	// get: 200
	// received: 2 injected: 1 answers: map[200:1 503:1]
}

// Handle gives one op an answer of the test's choosing; routing, auth and
// the quota still apply.
func ExampleEmulator_Handle() {
	emu := easemobtest.New()
	base, stop := serve(emu)
	defer stop()
	token := appToken(emu, base)

	_ = emu.Handle("users.GetStatus", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"action":"get","data":{%q:"online"},"timestamp":0,"duration":0}`, r.PathValue("username"))
	})
	_, got := call(base, "GET", "/users/bob/status", token, "")
	fmt.Println(got["data"])
	_, got = call(base, "GET", "/users/bob/status", "", "")
	fmt.Println(got["error"])
	// Output:
	// map[bob:online]
	// unauthorized
}

// WithLatency makes every call cross a slow network; the answer's
// timestamp is when the request reached the server.
func ExampleWithLatency() {
	emu := easemobtest.New(easemobtest.WithLatency(20*time.Millisecond, 10*time.Millisecond))
	base, stop := serve(emu)
	defer stop()

	start := time.Now()
	token := appToken(emu, base)
	_, got := call(base, "GET", "/users", token, "")
	arrival := time.UnixMilli(int64(got["timestamp"].(float64)))
	fmt.Println("arrived after the way there:", arrival.Sub(start) >= 40*time.Millisecond)
	fmt.Println("two round trips took 60ms or more:", time.Since(start) >= 60*time.Millisecond)
	// Output:
	// arrived after the way there: true
	// two round trips took 60ms or more: true
}
