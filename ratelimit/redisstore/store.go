// Package redisstore keeps the quota state of package ratelimit in Redis, so
// that every replica of a service shares one App Key's budget exactly.
//
// Each Reserve is one round trip: a Lua script decides every limit of the
// call on the Redis server's clock and spends on all of them or on none,
// with the same exact sliding-window log and pacing as the in-process
// registry. A grant the caller will settle (StoreRequest.Flight) counts as
// in flight, as an in-process grant does until its answer; Settle then
// ends it where the caller learnt the server had counted it, and it counts
// until one window after that. Until then its end is provisional, the
// grant plus the flight bound: the store pushes it out while the process
// lives, and if the process dies it stands. Concurrent calls share round
// trips: those that arrive while a batch is in flight go together in the
// next, one script per App Key, which decides them in turn exactly as it
// would each alone; settlements gather for a few milliseconds and go
// together the same way.
//
// Key layout (P is the prefix, A the App Key, G the group, i the limit's
// index in the request, S the scope):
//
//	P{A}:f:G        throttle factor of the group (string, with a TTL)
//	P{A}:h:G:i      state of App Key limit i (hash, see script.go)
//	P{A}:z:G:i      its ended entries: sorted set "id:cost" by end
//	P{A}:u:G:i      its entries in flight: sorted set "id:cost" by provisional end
//	P{A}:h:G:i:S    the same for per-scope limit i and scope S (and :z:, :u:)
//
// A is escaped so that braces cannot move the hash tag, and G so that it
// holds no colon; S comes last and is taken as is. The {A} hash tag puts
// every key of an App Key in one Cluster slot, so one script can touch them
// all with plain, Sentinel and Cluster clients alike. Keys follow the limit's
// index, so an override that keeps the order of the limits keeps what was
// spent. Times are the Redis server's (TIME, in µs); Redis 5 or later.
// Every key expires a little after its latest end leaves the window, so
// idle scopes take no memory. Give Redis room or the noeviction policy: a
// limit whose hash or log was evicted stays exact only by making its next
// call wait out everything the lost key can have held.
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob/ratelimit"
)

// DefaultPrefix starts every key the store writes.
const DefaultPrefix = "easemob:rl:"

// DefaultTimeout bounds each call to Redis: a slow or unreachable Redis
// fails a call quickly instead of holding up the API call it guards.
const DefaultTimeout = 50 * time.Millisecond

// pacedUpTo is the longest paced window, as in package ratelimit.
const pacedUpTo = 10 * time.Second

// Store is a ratelimit.Store backed by Redis. It is safe for concurrent use,
// and any number of Store values, in any number of processes, that share a
// Redis and a prefix share one budget per App Key.
type Store struct {
	client   redis.UniversalClient
	prefix   string
	timeout  time.Duration
	clock    *clockSync
	batch    batcher
	reporter reporter
	nameCache
}

var _ ratelimit.Store = (*Store)(nil)

// Option configures a Store.
type Option func(*Store)

// WithPrefix replaces DefaultPrefix. A prefix without braces leaves the
// App Key as the Cluster hash tag; with braces, the prefix's tag puts every
// key of the store in one slot.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithTimeout replaces DefaultTimeout; d <= 0 leaves only the caller's
// context to bound a call.
func WithTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

// New returns a Store on client, which may be a plain, Sentinel (failover)
// or Cluster client.
func New(client redis.UniversalClient, opts ...Option) *Store {
	s := &Store{client: client, prefix: DefaultPrefix, timeout: DefaultTimeout, clock: newClockSync()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Reserve implements ratelimit.Store. The grant is decided on the Redis
// server's clock, which every replica shares; the wait returned runs to the
// grant's time on this process's clock (see clockSync). A Redis error or
// timeout is returned as an error, never as a grant; the call may then have
// been spent or not, which errs on the safe side.
//
// Concurrent calls share round trips: while one batch is in flight the
// next gathers, and Redis decides each of its calls in turn as if alone.
func (s *Store) Reserve(ctx context.Context, r ratelimit.StoreRequest) (wait time.Duration, ok bool, err error) {
	now, wait, ok, err := s.reserve(ctx, r)
	if ok && r.Flight > 0 {
		s.reporter.track(s, &r, now.UnixMicro()+wait.Microseconds()+ceilMicros(r.Flight))
	}
	if ok && wait > 0 {
		// Both waits end once Redis's clock has reached the grant: the
		// server's counted from the reply, which left Redis after now, and
		// the one mapped through the clock offset with its error bound.
		wait = min(wait, s.clock.waitUntil(now.UnixMicro()+wait.Microseconds(), time.Now()))
	}
	// A refusal keeps the server's wait: a retry sent that long after the
	// reply cannot reach Redis before the time it names.
	return wait, ok, err
}

// Settle implements ratelimit.Store: the grant of r, reserved with a
// Flight, counts until one window after end. Settlements of the process
// gather for a few milliseconds and go together, one script per App Key,
// so that reporting answers does not double the load on Redis.
func (s *Store) Settle(r *ratelimit.StoreRequest, end time.Time) {
	if at, ok := s.clock.latest(end); ok { // it is: the grant was a round trip
		s.reporter.settle(s, r, at)
	}
}

// reserve is Reserve with the wait on the Redis server's clock: the grant,
// if any, is at now + wait.
func (s *Store) reserve(ctx context.Context, r ratelimit.StoreRequest) (now time.Time, wait time.Duration, ok bool, err error) {
	fail := func(err error) (time.Time, time.Duration, bool, error) {
		return time.Time{}, 0, false, fmt.Errorf("redisstore: reserve %s/%s: %w", r.AppKey, r.Group, err)
	}
	if err := check(r); err != nil {
		return fail(err)
	}
	c := getCall()
	s.fill(c, &r)
	answered, err := s.do(ctx, c)
	if !answered {
		return fail(err) // c may still be in a batch: leave it to the GC
	}
	defer putCall(c)
	if err != nil {
		return fail(err)
	}
	s.clock.observe(c.sent, c.answered, c.now)
	if now, wait, ok, err = c.decode(r); err != nil {
		return fail(err)
	}
	return now, wait, ok, nil
}

// decode reads the answer of c, the call of r.
func (c *call) decode(r ratelimit.StoreRequest) (now time.Time, wait time.Duration, ok bool, err error) {
	now = time.UnixMicro(c.now)
	switch c.code {
	case 1, 0:
		return now, time.Duration(c.wait) * time.Microsecond, c.code == 1, nil
	case -1:
		if i := c.wait; i >= 0 && i < int64(len(r.Limits)) {
			// Only a throttle factor gets here: check caught the rest.
			return now, 0, false, fmt.Errorf("limit %v (throttled), %d units: %w", r.Limits[i], r.Units[i], ratelimit.ErrCostTooHigh)
		}
	}
	return now, 0, false, fmt.Errorf("unexpected script reply %d, %d", c.code, c.wait)
}

// fill sets the keys and arguments of r's call.
func (s *Store) fill(c *call, r *ratelimit.StoreRequest) {
	nm := s.names(r.AppKey, r.Group, len(r.Limits))
	c.req, c.base, c.fkey = r, nm.base, nm.fkey
	maxWait := int64(-1)
	if r.MaxWait >= 0 {
		maxWait = r.MaxWait.Microseconds()
	}
	c.args = append(c.args, maxWait, r.ID, ceilMicros(r.Flight), ceilMicros(r.Margin))
	for i, lim := range r.Limits {
		h, z, u := nm.limit(i, lim, r.Scope)
		c.keys = append(c.keys, h, z, u)
		var pace int64
		if r.Pace > 0 && lim.Window <= pacedUpTo {
			pace = int64(r.Pace)
		}
		scoped := 0
		if lim.Per != "" {
			scoped = 1
		}
		c.args = append(c.args, scoped, lim.Count, ceilMicros(lim.Window), pace, int64(lim.Window), r.Units[i])
	}
}

// check rejects a malformed request before it costs a round trip.
func check(r ratelimit.StoreRequest) error {
	if r.AppKey == "" {
		return errors.New("empty App Key")
	}
	if len(r.Limits) == 0 || len(r.Units) != len(r.Limits) {
		return fmt.Errorf("%d limits with %d units", len(r.Limits), len(r.Units))
	}
	switch {
	case r.Margin < 0 || r.Flight < 0:
		return fmt.Errorf("margin %v, flight %v: negative", r.Margin, r.Flight)
	case r.Flight > 0 && r.ID == 0:
		return errors.New("a grant to settle needs an ID")
	}
	for i, lim := range r.Limits {
		switch {
		case lim.Count <= 0 || lim.Window <= 0:
			return fmt.Errorf("limit %v: count and window must be positive", lim)
		case r.Units[i] < 1:
			return fmt.Errorf("limit %v: %d units", lim, r.Units[i])
		case r.Units[i] > int64(lim.Count):
			return fmt.Errorf("limit %v, %d units: %w", lim, r.Units[i], ratelimit.ErrCostTooHigh)
		}
	}
	return nil
}

// Ping implements ratelimit.Store. It first opens the connections the
// store's round trips use and loads its scripts, bounded by ctx only: a
// cold client must dial and shake hands, and a server that restarted has
// lost its scripts, which no call should pay for within its deadline. Then
// it makes one round trip within the store's timeout, which tells whether
// Redis answers calls in time.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := bounded(ctx, 0, s.warm); err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	sent := time.Now()
	now, err := bounded(ctx, s.timeout, func(ctx context.Context) (time.Time, error) {
		return s.client.Time(ctx).Result()
	})
	if err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	s.clock.observe(sent, time.Now(), now.UnixMicro())
	return nil
}

// warm opens a connection for each flusher, the reporter and pipelines,
// and loads the scripts.
func (s *Store) warm(ctx context.Context) (struct{}, error) {
	// One connection first: a Redis that is down costs one dial, not one
	// per connection.
	if err := s.client.Ping(ctx).Err(); err != nil {
		return struct{}{}, err
	}
	var wg sync.WaitGroup
	errs := make([]error, maxFlushers+1)
	for i := range maxFlushers { // with the first: the flushers and the reporter
		wg.Go(func() { errs[i] = s.client.Ping(ctx).Err() })
	}
	wg.Go(func() { // pipelines have a pool of their own
		p := s.client.Pipeline()
		p.Ping(ctx)
		_, errs[maxFlushers] = p.Exec(ctx)
	})
	wg.Wait()
	for _, sc := range []*redis.Script{reserveScript, settleScript} {
		errs = append(errs, sc.Load(ctx, s.client).Err())
	}
	return struct{}{}, errors.Join(errs...)
}

// Throttle implements ratelimit.Store: until ttl passes, every Reserve of
// the group, from any process, counts floor(Count*factor) (at least 1) for
// each limit. A later Throttle of the group replaces the factor and ttl.
func (s *Store) Throttle(ctx context.Context, appKey, group string, factor float64, ttl time.Duration) error {
	fail := func(err error) error {
		return fmt.Errorf("redisstore: throttle %s/%s: %w", appKey, group, err)
	}
	switch {
	case appKey == "":
		return fail(errors.New("empty App Key"))
	case !(factor > 0 && factor <= 1):
		return fail(fmt.Errorf("factor %v not in (0, 1]", factor))
	case ttl < time.Millisecond:
		return fail(fmt.Errorf("ttl %v under 1ms", ttl))
	}
	key := s.names(appKey, group, 0).fkey
	// Shortest exact form: the script parses back the very same float64, so
	// its floor matches the in-process scaling.
	val := strconv.FormatFloat(factor, 'g', -1, 64)
	_, err := bounded(ctx, s.timeout, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, s.client.Set(ctx, key, val, ttl).Err()
	})
	if err != nil {
		return fail(err)
	}
	return nil
}

// Escaping keeps the hash tag exactly the App Key and makes keys of
// different groups, limits and scopes distinct whatever bytes they hold:
// the scope comes last, so only the fields before it need escaping.
var (
	appEscaper   = strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D")
	groupEscaper = strings.NewReplacer("%", "%25", ":", "%3A")
)

func (s *Store) base(appKey string) string {
	return s.prefix + "{" + appEscaper.Replace(appKey) + "}:"
}

// ceilMicros rounds up, so a window is never shorter in Redis than asked.
func ceilMicros(d time.Duration) int64 {
	return int64((d + time.Microsecond - 1) / time.Microsecond)
}

// bounded runs f under ctx limited to timeout and returns when either ends.
// go-redis honours context deadlines on the socket only when the client
// was built with ContextTimeoutEnabled, so f runs on its own goroutine and
// is abandoned at the deadline; its late result, if any, is dropped.
func bounded[T any](ctx context.Context, timeout time.Duration, f func(context.Context) (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if ctx.Done() == nil {
		return f(ctx)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f(ctx)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		// An answer that raced the deadline is still the truth.
		select {
		case r := <-done:
			return r.v, r.err
		default:
		}
		var zero T
		return zero, fmt.Errorf("no answer from redis: %w", context.Cause(ctx))
	}
}
