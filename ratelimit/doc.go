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
// script per round trip, on Redis server time) that keeps the same log by
// the same rule, for every replica at once. A grant of Acquire is in
// flight in the store, as in process, until its Grant is reported: Settle
// gives it the same end there, on the store's clock with the clock
// offset's error added. The store may book a call ahead, for a slot at t:
// it is checked against the entries live at t, those in flight counted as
// live, and sent no earlier than t on the store's clock (the wait adds the
// offset's error), so the proof above holds for the store's log with t as
// the grant's time: any server window holds at most Count calls of all
// replicas together, whatever a call's way to the server takes (a cold
// connection, a slow first request). Until settled, an entry's end is
// provisional, its grant plus FailurePolicy.Flight: the store pushes it
// out while its process lives, so a slow call stays counted, and lets it
// stand if the process dies, so a dead replica holds its calls' quota for
// Flight and a window at most. A call that can only fit once calls in
// flight end is refused with the earliest time it could fit were they
// answered now, and asks again then, as a queued call does in process:
// bookings rest only on ends already known.
//
// The registry opens the store's connections and loads its script when it
// is made (calls wait for that, up to FailurePolicy.Warmup), so no call
// pays for a cold start within the store's per-call deadline. A
// FailurePolicy says what happens after Threshold failures in a row: a
// local share of each quota, or ErrStoreUnavailable. Then the store is
// down: calls do not wait on it, and a background probe, one per Retry
// while calls come, brings it back as soon as it answers within its
// deadline; fallback calls still queued then leave for the store. While
// one replica is cut off and the others are not, the server sees at most
// Count × (1 + Share) in a window: the others' store grants, at most
// Count, and this replica's local share, whose log also counts its own
// store grants still in flight. Once back it adds no call the store does
// not see, so from one window after its last fallback call reached the
// server, at most Count again.
package ratelimit
