// Package easemobtest is an in-memory emulator of the Easemob (环信) IM REST
// API, for tests that must not reach a real Easemob host.
//
// It serves one App Key under /{org_name}/{app_name}/..., issues tokens,
// keeps user accounts, and enforces every quota of the generated catalog
// (the same table the SDK limits itself by) with a server-side limiter of
// its own: SlidingWindow, FixedWindow or TokenBucket. Over a call-rate
// limit it answers 429 reach_limit, over a message quota 403 "message send
// reach limit", with the error bodies the docs give. Catalog operations
// that are not emulated yet are routed and charged to their quota, then
// answer 501 unsupported_service_operation.
//
// In a test, start a server with a small quota and a clock the test steps:
//
//	srv := easemobtest.NewServer(t,
//		easemobtest.WithClock(clock.Now),
//		easemobtest.WithQuotas(ratelimit.Quota{Group: "users.get",
//			Limits: []ratelimit.Limit{{Count: 5, Window: time.Second}}}))
//	// Point the client under test at srv.URL with srv.AppKey,
//	// srv.ClientID and srv.ClientSecret, drive it, then:
//	st := srv.Stats("users.get")
//	// st.RateLimited counts the 429s the client provoked; st.MaxInWindow[0]
//	// above 5 means the client sent more than the quota in some second.
//
// Standalone, serve New(opts...).Handler() on any listener (see Example).
//
// Every call goes through the server's steps in order: App Key, route (the
// op is chosen among those sharing a method and path by the catalog's
// selector), auth (the op's documented token), the quota check, validation
// (path values, the op's documented checks, then its body and query
// schema: a finding is a 400 illegal_argument, after the call was
// counted), and the op's handler. Answers carry the server's timestamp
// (arrival, in ms) and duration (ms spent); the quota counts a call when it
// checks it, between the two.
//
// Tests steer the server with:
//   - AddUser, AddUsers, SetOnline and SetOffline to seed state, AddContacts
//     for friendships, AddPushResults for offline-push statistics and
//     StoreCallbackFailures for stored callback failures;
//   - ExpireTokens, which makes every issued token answer 401;
//   - InjectFault, which fails an op's calls with a status, a delay or a
//     dropped connection (before or after the server acted), and FailNext
//     for the next calls of any op;
//   - WithLatency, a network delay each way;
//   - Handle, which replaces one op's handler;
//   - Stats per quota group (or pool) and OpStats per op to check what was
//     sent, and Served for the ops the emulators of the process answered
//     with success: what a test suite really drove.
package easemobtest
