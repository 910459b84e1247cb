// Package ratelimit is the client-side quota engine of the easemob SDK: a
// registry of limiters keyed by App Key and endpoint group, each holding
// every side of the group's documented quota.
//
// # Algorithm
//
// Every limit ("Count units per Window", per App Key or per path value) is
// an exact sliding-window log of reservations. A call is granted at the
// earliest time t at which, for each side, the units granted in (t-W-m, t]
// plus its own cost stay within Count (W the window, m the margin). Grants
// are placed in time order, so the window ending at t is the only one the
// new entry can overfill: checking it keeps every window within quota, for
// any mix of costs and any concurrency. All sides of a call are decided
// under one lock and booked at one time, or none is.
//
// Windows of at most 10 s are also paced (GCRA): they let out at once only
// what the quota allows in 100 ms (at least 10 units) and then one unit per
// W/Count. A whole window's quota leaving at once would queue on the way
// and reach the server bunched with the next window's.
//
// # Why it is safe against any server counter
//
//   - Sliding window: the log is the same check, with the window widened
//     by m, which absorbs the jitter between a grant and the server's count.
//   - Fixed windows: a fixed window is one of the sliding windows, so it
//     never holds more than Count either.
//   - Token bucket of capacity Count refilled Count per W: at most Count
//     in any window of length W implies at most Count + Count*L/W in any
//     interval of length L >= W, which is what such a bucket admits.
//
// # Waiting
//
// Interactive calls (the default) book their slot at once and sleep until
// it; the booking is given back if ctx ends first. A call whose ctx deadline
// falls before its slot is refused at once, spending nothing, with a
// *WaitError that matches ErrRateLimited and context.DeadlineExceeded.
// Bulk calls (WithPriority) never book ahead: they queue behind one sleeper
// and take a slot only when it is free, so interactive calls never wait
// behind a bulk job for more than one slot. Allow is the non-blocking try;
// Delay says how long a call of a given cost would wait.
//
// # Adaptation and memory
//
// When the server still refuses for rate (its plan is below the documented
// figures), Limiter.Throttled cuts the group's App Key sides by 10% at most
// once per window, and each quiet window gives 5% back; Status shows the
// configured quota next to what the server accepted. Per-path-value state
// is swept once idle for a window, so memory follows the active user IDs.
//
// # Sharing a quota across processes
//
// WithStore sends every decision to a Store (package redisstore: one Lua
// script per round trip, on Redis server time); a FailurePolicy says what
// happens while the store is down: a local share of each quota, or
// ErrStoreUnavailable.
package ratelimit
