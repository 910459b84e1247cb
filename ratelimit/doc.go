// Package ratelimit is the client-side quota engine of the easemob SDK: a
// registry of limiters keyed by App Key and endpoint group, each holding
// every side of the group's documented quota.
//
// # Algorithm
//
// Every limit ("Count units per Window", per App Key or per path value) is
// an exact sliding-window log of grants. Each entry has an end: the time by
// which the server has surely counted the call. A call from Acquire (every
// SDK call) ends when its answer comes, plus 1 ms for the server clock's
// granularity: the server counts a call before it answers it, so however
// long the request spent on the way, it arrived by then. A call from Wait,
// whose answer the limiter never hears of, ends at its grant plus the
// margin m (DefaultMargin), which must absorb the delay between grant and
// count. An entry counts until one window after its end; while its call is
// in flight it counts.
//
// A call is granted at the moment it is checked, and only if, for each
// side, the units of the live entries plus its own stay within Count. Any
// server window of length W ending at an arrival holds only calls whose
// entries were all live when the last of them was granted, so no such
// window ever holds more than Count, for any mix of costs, any concurrency
// and any flight time. All sides of a call are decided under one lock at
// one time, or none is.
//
// Windows of at most 10 s are also paced (GCRA): they let out at once only
// what the quota allows in 100 ms (at least 10 units) and then one unit per
// W/Count. A whole window's quota leaving at once would queue on the way
// and reach the server bunched with the next window's.
//
// # Why it is safe against any server counter
//
//   - Sliding window: the log is the same check, on times no earlier than
//     the server's counts.
//   - Fixed windows: a fixed window is one of the sliding windows, so it
//     never holds more than Count either.
//   - Token bucket of capacity Count refilled Count per W: at most Count
//     in any window of length W implies at most Count + Count*L/W in any
//     interval of length L >= W, which is what such a bucket admits.
//
// # Waiting
//
// Nothing is booked ahead. A call that fits now, with nobody queued ahead
// of it, leaves at once; any other joins the group's queue, first come
// first served, with interactive calls ahead of bulk calls (WithPriority).
// While interactive calls come, bulk calls leave 1/50 of each paced App
// Key window free (none under 50 units), and interactive calls beside a
// queued bulk job skip the pacing its stream fills: they go at once.
// Only the head of the queue watches the clock, and it takes its slot when
// the slot comes, stamped with the time it really leaves: a booking made
// ahead is only as good as the wake-up that follows it, and one late
// wake-up would put two calls closer than the window allows. A call held
// back by its own scope (one user's quota) waits outside the queue, so it
// holds up nobody else. A call whose ctx deadline falls before its forecast
// turn is refused at once, spending nothing, with a *WaitError that matches
// ErrRateLimited and context.DeadlineExceeded; a call that gives up leaves
// the queue and spends nothing. Allow is the non-blocking try; Delay says
// how long a call of a given cost would wait behind the queue.
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
// ErrStoreUnavailable. The store keeps the same log by the same rule: a
// grant of Acquire is in flight until its Grant is reported, which settles
// it in the store at the same end as in process.
package ratelimit
