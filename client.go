package easemob

import (
	"context"
	"net/http"
	"sync"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/users"
)

// Config configures a Client. AppKey, BaseURL and either ClientID with
// ClientSecret or Token are required.
type Config struct {
	// AppKey is "org_name#app_name".
	AppKey string
	// BaseURL is the REST host of the app's data centre, e.g. "https://a1.easemob.com".
	BaseURL string
	// ClientID and ClientSecret fetch app tokens (grant client_credentials).
	ClientID     string
	ClientSecret string
	// Token is a fixed app token, used instead of ClientID/ClientSecret.
	Token string
	// HTTPClient sends the requests; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// Registry holds the quota state. nil means the process-wide registry,
	// so every Client of one App Key in a process shares one budget.
	Registry *ratelimit.Registry
	// Retry bounds resends after 429 reach_limit, 5xx and 401.
	Retry RetryPolicy
	// UserAgent is sent with every request when set.
	UserAgent string
}

// Client calls the Easemob REST API for one App Key, within its quotas.
// It is safe for concurrent use.
type Client struct {
	// Users manages accounts.
	Users *users.Service

	core *core.Client
}

var (
	defaultRegistryOnce sync.Once
	defaultRegistry     *ratelimit.Registry
)

// DefaultRegistry returns the process-wide registry, seeded with
// DefaultQuotas, that clients use unless Config.Registry is set.
func DefaultRegistry() *ratelimit.Registry {
	defaultRegistryOnce.Do(func() { defaultRegistry = NewRegistry() })
	return defaultRegistry
}

// NewRegistry returns a registry seeded with DefaultQuotas: give one to
// Config.Registry to keep a client's budget apart (tests) or to pass options
// such as ratelimit.WithSafetyFactor.
func NewRegistry(opts ...ratelimit.Option) *Registry {
	return ratelimit.NewRegistry(DefaultQuotas(), opts...)
}

// New checks cfg and returns a Client. It makes no request: the first call
// fetches the app token.
func New(cfg Config) (*Client, error) {
	reg := cfg.Registry
	if reg == nil {
		reg = DefaultRegistry()
	}
	c, err := core.New(core.Options{
		BaseURL:      cfg.BaseURL,
		AppKey:       cfg.AppKey,
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Token:        cfg.Token,
		HTTPClient:   cfg.HTTPClient,
		Limits:       reg.App(cfg.AppKey),
		Retry:        cfg.Retry,
		UserAgent:    cfg.UserAgent,
	})
	if err != nil {
		return nil, err
	}
	return &Client{Users: users.New(c), core: c}, nil
}

// Limiter returns the limiter of one quota group (a Group* constant), for
// callers that plan batches with Delay or refuse early with Allow. It
// returns nil for an unknown group.
func (c *Client) Limiter(group string) *ratelimit.Limiter {
	return c.core.Limits().Limiter(group)
}

// GroupStats is what one client sent in one quota group, next to what its
// limiter knows.
type GroupStats struct {
	Group string
	// Sent counts requests put on the wire, resends included.
	Sent int64
	// RateLimited counts server refusals for rate (429 reach_limit, 403 message quota).
	RateLimited int64
	// Limiter is the state of the group's limiter for the App Key (shared by
	// every client of it): configured and effective limits, adaptation.
	Limiter ratelimit.Status
}

// Stats returns the counters of every group this client has used, in table order.
func (c *Client) Stats() []GroupStats {
	var out []GroupStats
	for g := range catalog.NumGroups {
		s := c.core.Stats(g)
		sent := s.Sent.Load()
		if sent == 0 {
			continue
		}
		out = append(out, GroupStats{
			Group:       catalog.Groups[g].Group,
			Sent:        sent,
			RateLimited: s.RateLimited.Load(),
			Limiter:     c.core.Limits().At(int(g)).Status(),
		})
	}
	return out
}

// Registry holds the quota state of every App Key in a process.
type Registry = ratelimit.Registry

// Cost is what one call spends from a limiter (see Client.Limiter).
type Cost = ratelimit.Cost

// Priority is the lane a call waits in for quota; see ratelimit.Priority.
type Priority = ratelimit.Priority

// Lanes: bulk jobs never make interactive calls queue behind them.
const (
	Interactive = ratelimit.Interactive
	Bulk        = ratelimit.Bulk
)

// WithPriority returns a context whose calls wait for quota in lane p, e.g.
// easemob.WithPriority(ctx, easemob.Bulk) for a batch job.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return ratelimit.WithPriority(ctx, p)
}
