package easemob

import (
	"fmt"
	"log/slog"
	"net/http"
	"sync"

	"github.com/emquota/easemob/callbacks"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/moderation"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/presence"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/threads"
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
	// HTTPClient sends the requests; nil means a client with a 30 s timeout
	// on a transport shared by every client of the process that has none.
	// The client never closes an HTTPClient it was given.
	HTTPClient *http.Client
	// Registry holds the quota state. nil means the process-wide registry,
	// so every Client of one App Key in a process shares one budget.
	Registry *ratelimit.Registry
	// Retry bounds resends after 429 reach_limit, 5xx and transport errors;
	// a call's option.Retry replaces it.
	Retry option.RetryPolicy
	// UserAgent is sent with every request when set.
	UserAgent string
	// Observer receives, per call and quota group, the waits and
	// acquisitions of quota, local refusals, the server's 429s, resends and
	// changes of the group's rate (package observe; observe/prom and
	// observe/otelmetric export them). nil: none.
	Observer observe.Observer
	// Logger receives the client's records: the server's rate refusals and
	// the cuts and recoveries of a group's rate (warn and info), resends
	// (info), local refusals (debug). Credentials never appear in them. nil
	// logs nothing; the SDK never logs through slog's default logger unless
	// given it. The registry logs on its own (a failing quota store): see
	// ratelimit.WithLogger, which NewRegistry leaves discarding.
	Logger *slog.Logger
}

// Client calls the Easemob REST API for one App Key, within its quotas.
// It is safe for concurrent use.
type Client struct {
	// Users manages accounts and what hangs off a user: push settings,
	// contacts and blocklist, attributes, global mutes, favorites.
	Users *users.Service
	// Messages sends and manages messages, files, conversations and reactions.
	Messages *messages.Service
	// Groups manages groups (chatgroups), their members, roles and files.
	Groups *groups.Service
	// Chatrooms manages chatrooms, their members, roles and attributes.
	Chatrooms *chatrooms.Service
	// Presence sets and subscribes to users' online status.
	Presence *presence.Service
	// Threads manages threads of groups.
	Threads *threads.Service
	// Moderation checks text and manages keyword lists.
	Moderation *moderation.Service
	// Callbacks reads and resends failed webhook callbacks.
	Callbacks *callbacks.Service

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
// such as ratelimit.WithSafetyFactor. It logs nothing unless given
// ratelimit.WithLogger: clients report the rate changes that matter through
// Config.Logger.
func NewRegistry(opts ...ratelimit.Option) *ratelimit.Registry {
	return NewRegistryFor(SeedTable, opts...)
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
		Observer:     cfg.Observer,
		Logger:       cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	return &Client{
		Users:      core.Build[users.Service](c),
		Messages:   core.Build[messages.Service](c),
		Groups:     core.Build[groups.Service](c),
		Chatrooms:  core.Build[chatrooms.Service](c),
		Presence:   core.Build[presence.Service](c),
		Threads:    core.Build[threads.Service](c),
		Moderation: core.Build[moderation.Service](c),
		Callbacks:  core.Build[callbacks.Service](c),
		core:       c,
	}, nil
}

// Close releases what the client created (its share of the transport's
// idle connections, a token fetch in flight). Calls after Close fail with
// ErrClosed.
func (c *Client) Close() error { return c.core.Close() }

// Limiter returns the limiter of one quota group (a Group* constant), for
// callers that plan batches with Delay or refuse early with Allow.
func (c *Client) Limiter(group string) (*ratelimit.Limiter, error) {
	g, ok := catalog.GroupByName(group)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownGroup, group)
	}
	return c.core.Limiter(g), nil
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
			Limiter:     c.core.Limiter(g).Status(),
		})
	}
	return out
}
