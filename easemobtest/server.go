package easemobtest

import (
	"crypto/sha1"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// Defaults of an emulator built without options.
const (
	// DefaultAppKey is the App Key ("org#app") the emulator serves by default.
	DefaultAppKey = "easemob-demo#emulator"
	// DefaultClientID is the client_id the token endpoint accepts by default.
	DefaultClientID = "YXA6emulator-client-id"
	// DefaultClientSecret is the client_secret the token endpoint accepts by default.
	DefaultClientSecret = "YXA6emulator-client-secret"
	// DefaultTokenTTL is the expires_in of a token requested without ttl
	// (60 days, as the newer token docs state).
	DefaultTokenTTL = 60 * 24 * time.Hour
)

// Option configures an Emulator.
type Option func(*config)

type config struct {
	appKey, clientID, clientSecret string
	quotas                         []ratelimit.Quota
	alg                            Algorithm
	clock                          func() time.Time
	ownClock                       bool // set by WithClock
	tokenTTL                       time.Duration
	userLimit                      int
	openRegistration               bool
	toServer, toClient             time.Duration
	latency                        func() (toServer, toClient time.Duration)
	messages                       messageConfig // files, recall window (messages.go)
}

// WithAppKey serves the App Key "org#app" instead of DefaultAppKey.
func WithAppKey(appKey string) Option { return func(c *config) { c.appKey = appKey } }

// WithCredentials sets the client_id and client_secret the token endpoint accepts.
func WithCredentials(id, secret string) Option {
	return func(c *config) { c.clientID, c.clientSecret = id, secret }
}

// WithQuotas replaces the limits of the named groups (e.g. to emulate a VIP
// plan or to make a quota small enough for a test); other groups keep the
// documented defaults. Naming an unknown group is an error. Groups that
// name one Pool share its budget, as the SDK's registry counts them: give
// a whole profile's table, easemob.Quotas(easemob.NewestDocs), to serve by
// that table.
func WithQuotas(quotas ...ratelimit.Quota) Option {
	return func(c *config) { c.quotas = append(c.quotas, quotas...) }
}

// WithAlgorithm selects the server-side limiter (SlidingWindow by default).
func WithAlgorithm(a Algorithm) Option { return func(c *config) { c.alg = a } }

// WithClock makes the emulator read time from now instead of time.Now, so
// tests can step time by hand. The clock must not go backwards.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock, c.ownClock = now, now != nil }
}

// WithTokenTTL sets the lifetime (expires_in) of tokens requested without ttl.
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithUserLimit emulates a plan quota of n registered users: registering
// beyond it answers 429 resource_limited. The default is unlimited.
func WithUserLimit(n int) Option { return func(c *config) { c.userLimit = n } }

// WithOpenRegistration lets POST /users register without a token (the
// console's open registration mode). By default a tokenless registration
// answers 401 as in authorized-registration mode.
func WithOpenRegistration() Option { return func(c *config) { c.openRegistration = true } }

// appNameRE is the console's rule for app names; org names are not documented.
var appNameRE = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

// Emulator is an in-memory Easemob REST server for one App Key. It is safe
// for concurrent use. Serve it with Handler, or use NewServer in tests.
type Emulator struct {
	cfg      config
	org, app string
	appUUID  string
	clock    func() time.Time
	ops      []*catalog.Op
	impls    map[*catalog.Op]impl
	router   *router
	world    *world
	quota    *quotaTable
	faults   *faultTable
	arrivals *arrivals // the emulated network's arrival order; nil without one
	opStats  *opCounters

	mu        sync.Mutex // guards the fields below
	custom    map[*catalog.Op]func(http.ResponseWriter, *http.Request)
	onRequest func(*http.Request)
	tokenReqs int
}

// New returns an emulator configured by opts. It panics on an invalid
// option (a malformed App Key, an unknown quota group, a bad limit).
func New(opts ...Option) *Emulator {
	e, err := newEmulator(opts)
	if err != nil {
		panic(err)
	}
	return e
}

func newEmulator(opts []Option) (*Emulator, error) {
	c := config{
		appKey:       DefaultAppKey,
		clientID:     DefaultClientID,
		clientSecret: DefaultClientSecret,
		alg:          SlidingWindow,
		clock:        time.Now,
		tokenTTL:     DefaultTokenTTL,
		messages:     defaultMessageConfig(),
	}
	for _, o := range opts {
		o(&c)
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	org, app, ok := strings.Cut(c.appKey, "#")
	if !ok || org == "" || strings.Contains(org, "/") || !appNameRE.MatchString(app) {
		return nil, fmt.Errorf("easemobtest: App Key %q is not org#app", c.appKey)
	}
	if c.tokenTTL < 0 || c.userLimit < 0 || c.toServer < 0 || c.toClient < 0 {
		return nil, fmt.Errorf("easemobtest: negative token TTL, user limit or latency")
	}
	if err := c.messages.check(); err != nil {
		return nil, err
	}
	quotas, err := mergeQuotas(defaultQuotas(), c.quotas)
	if err != nil {
		return nil, err
	}
	qt, err := newQuotaTable(c.alg, quotas)
	if err != nil {
		return nil, err
	}
	sum := sha1.Sum([]byte(c.appKey))
	ops := defaultOps()
	return &Emulator{
		cfg: c,
		org: org,
		app: app,
		// A stable app UUID per App Key keeps responses reproducible.
		appUUID:  fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16]),
		clock:    c.clock,
		ops:      ops,
		impls:    builtin(),
		router:   newRouter(ops),
		world:    newWorld(c.userLimit, c.messages),
		quota:    qt,
		faults:   newFaultTable(),
		opStats:  newOpCounters(),
		custom:   map[*catalog.Op]func(http.ResponseWriter, *http.Request){},
		arrivals: c.network(),
	}, nil
}

// mergeQuotas returns defaults (indexed like catalog.Groups) with the
// limits of the groups named in overrides replaced.
func mergeQuotas(defaults, overrides []ratelimit.Quota) ([]ratelimit.Quota, error) {
	out := append([]ratelimit.Quota(nil), defaults...)
	for _, o := range overrides {
		g, ok := catalog.GroupByName(o.Group)
		if !ok {
			return nil, fmt.Errorf("easemobtest: WithQuotas: unknown group %q", o.Group)
		}
		out[g].Limits, out[g].Pool = append([]ratelimit.Limit(nil), o.Limits...), o.Pool
	}
	return out, nil
}

// Handler returns the emulator's HTTP handler, serving /{org}/{app}/...
func (e *Emulator) Handler() http.Handler { return http.HandlerFunc(e.serveHTTP) }

// AppKey returns the App Key served, "org#app".
func (e *Emulator) AppKey() string { return e.cfg.appKey }

// ClientID returns the client_id the token endpoint accepts.
func (e *Emulator) ClientID() string { return e.cfg.clientID }

// ClientSecret returns the client_secret the token endpoint accepts.
func (e *Emulator) ClientSecret() string { return e.cfg.clientSecret }

func (e *Emulator) now() time.Time { return e.clock() }

// Stats returns what the emulator saw of the named quota group (e.g.
// "users.get"), or of a pool of WithQuotas (e.g. "users.account": its
// groups' counts summed); an unknown name gives the zero value.
func (e *Emulator) Stats(group string) GroupStats { return e.quota.stats(group) }

// TotalRateLimited returns the number of 429 reach_limit answers over all groups.
func (e *Emulator) TotalRateLimited() int { return e.quota.totalRateLimited() }

// TokenRequests returns the number of POST /token requests received.
func (e *Emulator) TokenRequests() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tokenReqs
}

// ResetStats zeroes every counter (Stats, OpStats, TokenRequests) and
// MaxInWindow. Quota state is kept: what the server has accepted still
// counts against its limits; the state of users with nothing left in any
// window is freed.
func (e *Emulator) ResetStats() {
	e.quota.resetStats(e.now())
	e.opStats.reset()
	e.mu.Lock()
	e.tokenReqs = 0
	e.mu.Unlock()
}

// ExpireTokens makes every token issued so far answer 401 unauthorized
// "Unable to authenticate due to expired access token".
func (e *Emulator) ExpireTokens() { e.world.locked(e.world.expireTokens) }

// OnRequest registers fn to be called with every request before it is
// handled (nil removes it). fn runs on the request's goroutine, so it must
// be safe for concurrent use.
func (e *Emulator) OnRequest(fn func(r *http.Request)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onRequest = fn
}

// AddUser registers a user directly, bypassing HTTP, auth and quotas; for
// seeding test data. It applies the same rules as registration.
func (e *Emulator) AddUser(username, password string) error {
	_, err := e.addUsers([]regEntry{{Username: username, Password: password}})
	return err
}

// AddUsers registers n users named prefix followed by 0 to n-1, all with
// password, as AddUser does, and returns their names. Nothing is
// registered when one name is invalid or taken.
func (e *Emulator) AddUsers(n int, prefix, password string) ([]string, error) {
	entries := make([]regEntry, n)
	for i := range entries {
		entries[i] = regEntry{Username: prefix + strconv.Itoa(i), Password: password}
	}
	return e.addUsers(entries)
}

func (e *Emulator) addUsers(entries []regEntry) ([]string, error) {
	if aerr := checkEntries(entries); aerr != nil {
		return nil, fmt.Errorf("easemobtest: %s: %s", aerr.code, aerr.description)
	}
	var created []userEntity
	var failed []regFailure
	var aerr *apiError
	e.world.locked(func() {
		if failed = e.world.users.taken(entries); len(failed) == 0 {
			created, _, aerr = e.world.users.create(entries, e.now())
		}
	})
	switch {
	case len(failed) > 0:
		return nil, fmt.Errorf("easemobtest: %s", failed[0].Reason)
	case aerr != nil:
		return nil, fmt.Errorf("easemobtest: %s: %s", aerr.code, aerr.description)
	}
	names := make([]string, len(created))
	for i, u := range created {
		names[i] = u.Username
	}
	return names, nil
}

// SetOnline marks a registered user online on the given device resources
// (e.g. "android_123"); with none, on one web resource.
func (e *Emulator) SetOnline(username string, resources ...string) error {
	if len(resources) == 0 {
		resources = []string{"web_emulator"}
	}
	return e.setResources(username, resources)
}

// SetOffline marks a registered user offline on every device.
func (e *Emulator) SetOffline(username string) error { return e.setResources(username, nil) }

func (e *Emulator) setResources(username string, resources []string) error {
	var ok bool
	e.world.locked(func() { ok = e.world.users.setResources(username, resources) })
	if !ok {
		return fmt.Errorf("easemobtest: no user %q", username)
	}
	return nil
}

// Server is an Emulator served by an httptest.Server.
type Server struct {
	*Emulator
	// URL is the base URL, e.g. "http://127.0.0.1:41234"; requests go to
	// URL + "/{org}/{app}/...".
	URL string
	// AppKey, ClientID and ClientSecret are what the emulator was
	// configured with; changing them has no effect.
	AppKey, ClientID, ClientSecret string

	ts   *httptest.Server
	once sync.Once
}

// NewServer starts an emulator configured by opts and closes it when the
// test ends. An invalid option fails the test.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	e, err := newEmulator(opts)
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(e.Handler())
	s := &Server{
		Emulator:     e,
		URL:          ts.URL,
		AppKey:       e.cfg.appKey,
		ClientID:     e.cfg.clientID,
		ClientSecret: e.cfg.clientSecret,
		ts:           ts,
	}
	tb.Cleanup(s.Close)
	return s
}

// AppURL returns URL + "/{org}/{app}", the base of every API path.
func (s *Server) AppURL() string { return s.URL + "/" + s.org + "/" + s.app }

// Close shuts the server down; it is safe to call more than once.
func (s *Server) Close() { s.once.Do(s.ts.Close) }
