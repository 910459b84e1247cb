package ratelimit

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sync"
	"time"
)

// maxSides bounds the limits of one kind (shared or per-scope) in a group;
// the documented quotas have at most three.
const maxSides = 4

// DefaultMargin is added after a grant whose answer the limiter does not
// hear of (Wait, Allow): a call is spaced at least one window plus this
// margin after the call whose quota it reuses, so the delay between the
// grant and the server's count cannot put two such calls inside one
// window. Calls made through Acquire, as the SDK's are, end at their answer
// instead and need no such allowance.
const DefaultMargin = 20 * time.Millisecond

// AnswerMargin is added after a reported answer (Limiter.Acquire): the
// server counted the call before it answered, so what is left to absorb is
// the granularity of the server's clock. A Store counts a call in flight as
// ending no sooner than now plus AnswerMargin, as the registry does.
const AnswerMargin = time.Millisecond

// Registry holds the limiters of every App Key and group in a process.
// Clients of one App Key that share a Registry share one budget.
type Registry struct {
	clock  Clock
	epoch  time.Time
	factor float64
	margin time.Duration
	pace   time.Duration
	logger *slog.Logger
	fixed  bool // no adaptation to the server's refusals
	storeState

	defaults map[string]Quota
	order    []string            // group names in table order
	pools    map[string][]string // pool name -> its groups, in table order

	mu        sync.RWMutex
	apps      map[string]*App
	overrides map[string]map[string][]Limit // app key -> group -> limits
}

// Option configures a Registry.
type Option func(*Registry)

// WithClock sets the time source (default SystemClock).
func WithClock(c Clock) Option { return func(r *Registry) { r.clock = c } }

// WithSafetyFactor scales every count by f (0 < f <= 1), e.g. 0.9 to keep 10%
// of each quota for other callers of the same App Key.
func WithSafetyFactor(f float64) Option { return func(r *Registry) { r.factor = f } }

// WithLogger sets where the registry reports adaptation to the server's
// refusals (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(r *Registry) { r.logger = l } }

// WithoutAdaptation keeps every limit at its configured figure even when
// the server refuses calls for rate; by default such refusals cut the
// group's rate, which then recovers gradually.
func WithoutAdaptation() Option { return func(r *Registry) { r.fixed = true } }

// WithMargin replaces DefaultMargin.
func WithMargin(d time.Duration) Option { return func(r *Registry) { r.margin = d } }

// DefaultPace is the burst span of paced windows: a limit whose window is
// at most 10 s lets out at once only what it allows in this span (and at
// least 10 units), then one unit per window/count. A whole window's quota
// sent at once would queue on the way and arrive bunched with the next
// window's, which a server counting arrivals sees as over quota.
const DefaultPace = 100 * time.Millisecond

// WithPacing replaces DefaultPace; 0 turns pacing off, so each window's
// whole quota may leave at once.
func WithPacing(span time.Duration) Option { return func(r *Registry) { r.pace = span } }

// NewRegistry returns a registry seeded with the default quotas of each
// group. It panics on a malformed table: the table is program data, not input.
func NewRegistry(quotas []Quota, opts ...Option) *Registry {
	r := &Registry{
		clock:     SystemClock{},
		factor:    1,
		margin:    DefaultMargin,
		pace:      DefaultPace,
		logger:    slog.Default(),
		defaults:  make(map[string]Quota, len(quotas)),
		pools:     make(map[string][]string),
		apps:      make(map[string]*App),
		overrides: make(map[string]map[string][]Limit),
	}
	for _, o := range opts {
		o(r)
	}
	if r.factor <= 0 || r.factor > 1 {
		panic(fmt.Sprintf("ratelimit: safety factor %v not in (0, 1]", r.factor))
	}
	r.epoch = r.clock.Now()
	if r.store != nil {
		r.startStore()
	}
	for _, q := range quotas {
		if err := validate(q.Limits); err != nil {
			panic(fmt.Sprintf("ratelimit: group %s: %v", q.Group, err))
		}
		if _, dup := r.defaults[q.Group]; dup {
			panic("ratelimit: duplicate group " + q.Group)
		}
		r.defaults[q.Group] = Quota{Group: q.Group, Limits: append([]Limit(nil), q.Limits...), Pool: q.Pool}
		r.order = append(r.order, q.Group)
		if q.Pool != "" {
			r.pools[q.Pool] = append(r.pools[q.Pool], q.Group)
		}
	}
	for pool, groups := range r.pools {
		if err := r.checkPool(pool, groups); err != nil {
			panic(err.Error())
		}
	}
	return r
}

// checkPool holds the groups of a pool to one budget: equal limits, none
// per path value, and a name no group has.
func (r *Registry) checkPool(pool string, groups []string) error {
	if _, clash := r.defaults[pool]; clash {
		return fmt.Errorf("ratelimit: pool %s is also the name of a group", pool)
	}
	first := r.defaults[groups[0]].Limits
	for _, g := range groups {
		limits := r.defaults[g].Limits
		if !slices.Equal(limits, first) {
			return fmt.Errorf("ratelimit: pool %s: group %s has limits %v, group %s %v", pool, g, limits, groups[0], first)
		}
		if countShared(limits) != len(limits) {
			return fmt.Errorf("ratelimit: pool %s: group %s has a limit per path value", pool, g)
		}
	}
	return nil
}

func validate(limits []Limit) error {
	if len(limits) == 0 {
		return fmt.Errorf("no limits")
	}
	shared := countShared(limits)
	if shared > maxSides || len(limits)-shared > maxSides {
		return fmt.Errorf("more than %d limits of one scope", maxSides)
	}
	for _, l := range limits {
		if l.Count <= 0 || l.Window <= 0 {
			return fmt.Errorf("limit %v: count and window must be positive", l)
		}
	}
	return nil
}

func (r *Registry) now() int64 { return int64(r.clock.Now().Sub(r.epoch)) }

func (r *Registry) since(t time.Time) int64 { return int64(t.Sub(r.epoch)) }

// Groups returns the group names in table order.
func (r *Registry) Groups() []string { return append([]string(nil), r.order...) }

// App returns the limiters of one App Key, creating them on first use.
func (r *Registry) App(appKey string) *App {
	r.mu.RLock()
	a, ok := r.apps[appKey]
	r.mu.RUnlock()
	if ok {
		return a
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if a, ok := r.apps[appKey]; ok {
		return a
	}
	a = &App{key: appKey, groups: r.order, limiters: make([]*Limiter, len(r.order))}
	pooled := map[string]*Limiter{}
	for i, g := range r.order {
		name := g
		if pool := r.defaults[g].Pool; pool != "" {
			if l, ok := pooled[pool]; ok {
				a.limiters[i] = l // the groups of a pool spend one limiter
				continue
			}
			name = pool
		}
		l := &Limiter{group: name, app: appKey, reg: r, adaptive: adaptive{adapt: 1, lastCut: math.MinInt64 / 2}, interactiveAt: math.MinInt64 / 2}
		l.configure(r.limitsLocked(appKey, g))
		a.limiters[i] = l
		if name != g {
			pooled[name] = l
		}
	}
	r.apps[appKey] = a
	return a
}

func (r *Registry) limitsLocked(appKey, group string) []Limit {
	if o, ok := r.overrides[appKey][group]; ok {
		return o
	}
	return r.defaults[group].Limits
}

// Override replaces the limits of one group for one App Key, now and for
// limiters created later: plans with raised quotas, or figures learnt from
// the server. History already spent is kept. The limits of a pooled group
// are its pool's: they change for every group of the pool. Which groups
// pool is the table's choice; q.Pool, when set, must name the same pool.
func (r *Registry) Override(appKey string, q Quota) error {
	d, ok := r.defaults[q.Group]
	if !ok {
		return fmt.Errorf("ratelimit: unknown group %q", q.Group)
	}
	if err := validate(q.Limits); err != nil {
		return fmt.Errorf("ratelimit: group %s: %w", q.Group, err)
	}
	members := []string{q.Group}
	if q.Pool != "" && q.Pool != d.Pool {
		return fmt.Errorf("ratelimit: group %s: pool %q, the table has %q", q.Group, q.Pool, d.Pool)
	}
	if d.Pool != "" {
		if countShared(q.Limits) != len(q.Limits) {
			return fmt.Errorf("ratelimit: group %s: pool %s takes no limit per path value", q.Group, d.Pool)
		}
		members = r.pools[d.Pool]
	}
	limits := append([]Limit(nil), q.Limits...)
	r.mu.Lock()
	if r.overrides[appKey] == nil {
		r.overrides[appKey] = make(map[string][]Limit)
	}
	for _, g := range members {
		r.overrides[appKey][g] = limits
	}
	a := r.apps[appKey]
	r.mu.Unlock()
	if a != nil {
		l := a.limiters[r.index(q.Group)]
		l.mu.Lock()
		l.configure(limits)
		l.mu.Unlock()
	}
	return nil
}

func (r *Registry) index(group string) int {
	for i, g := range r.order {
		if g == group {
			return i
		}
	}
	return -1
}

// App is the set of limiters of one App Key.
type App struct {
	key      string
	groups   []string   // the registry's table order
	limiters []*Limiter // by group; the groups of a pool share one
}

// Key returns the App Key.
func (a *App) Key() string { return a.key }

// At returns the limiter of the i-th group in the registry's table order,
// which need not be any other table's: resolve groups with Limiters.
func (a *App) At(i int) *Limiter { return a.limiters[i] }

// Limiter returns the limiter of a group, or of a pool, by name; it
// returns nil if the registry has no such group or pool.
func (a *App) Limiter(group string) *Limiter {
	for i, g := range a.groups {
		if g == group {
			return a.limiters[i]
		}
	}
	for _, l := range a.limiters {
		if l.group == group {
			return l // a pool's
		}
	}
	return nil
}

// Limiters resolves groups by name, once, for a caller that then indexes
// the result by its own table's positions. A group the registry lacks is an
// error matching ErrUnknownGroup.
func (a *App) Limiters(groups []string) ([]*Limiter, error) {
	out := make([]*Limiter, len(groups))
	for i, g := range groups {
		if out[i] = a.Limiter(g); out[i] == nil {
			return nil, fmt.Errorf("%w %q", ErrUnknownGroup, g)
		}
	}
	return out, nil
}
