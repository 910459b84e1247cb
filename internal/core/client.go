// Package core is the request path shared by every API module: quota,
// token, transport, decoding and retries. Modules describe a call with a
// Request; Client.Do carries it out.
package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Options configure a Client.
type Options struct {
	BaseURL      string // e.g. https://a1.easemob.com
	AppKey       string // org#app
	ClientID     string
	ClientSecret string
	// Token, when set, is used as the app token and never refreshed.
	Token string
	// HTTPClient, when set, sends the requests; the client never closes it.
	HTTPClient *http.Client
	Limits     *ratelimit.App
	Retry      option.RetryPolicy
	UserAgent  string
	// Now is the clock for token lifetimes (default time.Now).
	Now func() time.Time
	// Observer receives the quota events of every call (nil: none).
	Observer observe.Observer
	// Logger receives the client's log records (nil: none).
	Logger *slog.Logger
}

// Client sends requests for one App Key.
type Client struct {
	hc       *http.Client
	header   http.Header // sent with every request: Accept, User-Agent
	root     string      // BaseURL/org/app, escaped
	limiters [catalog.NumGroups]*ratelimit.Limiter
	tokens   *tokenCache
	static   string
	id       string // client_id and client_secret, for app-token requests
	secret   string
	secrets  redactor
	retry    option.RetryPolicy
	stats    [catalog.NumGroups]GroupStats
	release  func() // gives back the shared transport
	clock    serverClock
	closed   atomic.Bool
	hooks    hooks
}

// GroupStats counts what a Client sent in one group.
type GroupStats struct {
	// Sent counts requests put on the wire, resends included.
	Sent atomic.Int64
	// RateLimited counts server answers that refused for rate (429 reach_limit, 403 message quota).
	RateLimited atomic.Int64
}

// New checks the options and returns a Client.
func New(o Options) (*Client, error) {
	root, err := appRoot(o.BaseURL, o.AppKey)
	if err != nil {
		return nil, err
	}
	if err := checkCredentials(o); err != nil {
		return nil, err
	}
	if o.Limits == nil {
		return nil, errors.New("easemob: core.New needs limits")
	}
	c := &Client{root: root, static: o.Token, id: o.ClientID, secret: o.ClientSecret, retry: o.Retry.WithDefaults()}
	c.hooks.init(o)
	// Limiters are resolved by name once: a registry built in another order,
	// or lacking a group, must not spend the wrong budget.
	names := make([]string, catalog.NumGroups)
	for g := range catalog.NumGroups {
		names[g] = catalog.Groups[g].Group
	}
	lims, err := o.Limits.Limiters(names)
	if err != nil {
		return nil, fmt.Errorf("easemob: %w", err)
	}
	copy(c.limiters[:], lims)
	hc := o.HTTPClient
	if hc == nil {
		var tr *http.Transport
		tr, c.release = sharedTransport()
		hc = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	noRedirect := *hc // the caller's client stays as it was
	// A redirect would re-post the body (the client secret, for a token
	// request) to wherever the answer points.
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &noRedirect
	c.header = http.Header{"Accept": {"application/json"}}
	if o.UserAgent != "" {
		c.header.Set("User-Agent", o.UserAgent)
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	c.secrets = redactor{secret: o.ClientSecret, static: o.Token}
	c.tokens = &tokenCache{now: now, fetch: func(ctx context.Context) (token, error) {
		return c.fetchToken(ctx, o.ClientID, o.ClientSecret, now)
	}}
	return c, nil
}

// appRoot checks BaseURL and the App Key and returns the escaped root of
// every API path.
func appRoot(base, appKey string) (string, error) {
	u, err := url.Parse(base)
	switch {
	case err != nil:
		return "", Invalid("easemob.New", "BaseURL", "%v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", Invalid("easemob.New", "BaseURL", "%q must start with http:// or https://", base)
	case u.Host == "":
		return "", Invalid("easemob.New", "BaseURL", "%q has no host", base)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil:
		return "", Invalid("easemob.New", "BaseURL", "%q may hold no query, fragment or user info", base)
	}
	org, app, ok := strings.Cut(appKey, "#")
	if !ok || strings.Contains(app, "#") {
		return "", Invalid("easemob.New", "AppKey", "%q is not of the form org#app", appKey)
	}
	for _, part := range []string{org, app} {
		if err := rules.PathValue("app_key", part); err != nil {
			return "", Invalid("easemob.New", "AppKey", "%q: %v", appKey, err)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String() + "/" + url.PathEscape(org) + "/" + url.PathEscape(app), nil
}

func checkCredentials(o Options) error {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch {
	case o.Token != "" && blank(o.Token):
		return Invalid("easemob.New", "Token", "blank")
	case o.Token == "" && (blank(o.ClientID) || blank(o.ClientSecret)):
		return Invalid("easemob.New", "ClientSecret", "ClientID and ClientSecret (or a Token) are required and may not be blank")
	}
	return nil
}

var shared struct {
	mu   sync.Mutex
	tr   *http.Transport
	refs int
}

// sharedTransport returns the process's default transport, so clients
// share connections; the last release closes its idle connections.
func sharedTransport() (*http.Transport, func()) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.tr == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Enough idle connections for a saturated group: a new TCP
		// handshake per call would delay every send.
		tr.MaxIdleConnsPerHost = 256
		// The default total of 100 idle connections would close and redial
		// connections as soon as more than 100 calls are in flight at once
		// (many groups saturated together), each redial a new handshake.
		tr.MaxIdleConns = 0
		shared.tr = tr
	}
	shared.refs++
	tr := shared.tr
	var once sync.Once
	return tr, func() {
		once.Do(func() {
			shared.mu.Lock()
			defer shared.mu.Unlock()
			if shared.refs--; shared.refs == 0 {
				shared.tr.CloseIdleConnections()
				shared.tr = nil
			}
		})
	}
}

// Close releases what the client created: its share of the transport and a
// token fetch in flight. Calls after Close fail.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	c.tokens.Close()
	if c.release != nil {
		c.release()
	}
	return nil
}

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("easemob: client closed")

// Stats returns the counters of one group.
func (c *Client) Stats(g catalog.GroupID) *GroupStats { return &c.stats[g] }

// Limiter returns the limiter of one group.
func (c *Client) Limiter(g catalog.GroupID) *ratelimit.Limiter { return c.limiters[g] }

type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
	TTL          *int64 `json:"ttl,omitempty"`
}

// AppTokenRequest is a request for a new app token with the client's
// credentials and ttl (seconds; nil for the server's default), or false
// when the client was given a fixed token and has none.
func (c *Client) AppTokenRequest(ttl *int64) (*Request, bool) {
	if c.id == "" || c.secret == "" {
		return nil, false
	}
	body := tokenRequest{GrantType: "client_credentials", ClientID: c.id, ClientSecret: c.secret, TTL: ttl}
	return &Request{Op: catalog.AuthGetAppToken, Body: body, NoAuth: true}, true
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   Int64  `json:"expires_in"`
}

func (c *Client) fetchToken(ctx context.Context, id, secret string, now func() time.Time) (token, error) {
	var out tokenResponse
	issued := now()
	err := c.Do(ctx, &Request{
		Op:     catalog.AuthGetAppToken,
		Body:   tokenRequest{GrantType: "client_credentials", ClientID: id, ClientSecret: secret},
		Result: &out,
		NoAuth: true,
	})
	if err != nil {
		return token{}, err
	}
	if out.AccessToken == "" {
		return token{}, &DecodeError{Op: catalog.AuthGetAppToken.ID, StatusCode: http.StatusOK, Reason: "no access_token"}
	}
	c.secrets.add(out.AccessToken)
	return newToken(out.AccessToken, issued, time.Duration(out.ExpiresIn)*time.Second), nil
}

func (c *Client) token(ctx context.Context) (string, error) {
	if c.static != "" {
		return c.static, nil
	}
	return c.tokens.Token(ctx)
}
