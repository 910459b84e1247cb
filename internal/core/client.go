// Package core is the request path shared by every API module: quota,
// token, transport, decoding and retries. Modules describe a call with a
// Request; Client.Do carries it out.
package core

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// Options configure a Client.
type Options struct {
	BaseURL      string // e.g. https://a1.easemob.com
	AppKey       string // org#app
	ClientID     string
	ClientSecret string
	// Token, when set, is used as the app token and never refreshed.
	Token      string
	HTTPClient *http.Client
	Limits     *ratelimit.App
	Retry      RetryPolicy
	UserAgent  string
	// Now is the clock for token lifetimes (default time.Now).
	Now func() time.Time
}

// Client sends requests for one App Key.
type Client struct {
	http   *resty.Client
	root   string // BaseURL/org/app
	limits *ratelimit.App
	tokens *tokenCache
	static string
	retry  RetryPolicy
	stats  [catalog.NumGroups]GroupStats
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
	org, app, ok := strings.Cut(o.AppKey, "#")
	if !ok || org == "" || app == "" || strings.Contains(app, "#") {
		return nil, Invalid("easemob.New", "AppKey", "%q is not of the form org#app", o.AppKey)
	}
	base := strings.TrimRight(o.BaseURL, "/")
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, Invalid("easemob.New", "BaseURL", "%q must start with http:// or https://", o.BaseURL)
	}
	if o.Token == "" && (o.ClientID == "" || o.ClientSecret == "") {
		return nil, Invalid("easemob.New", "ClientID", "ClientID and ClientSecret (or a Token) are required")
	}
	if o.Limits == nil {
		return nil, errors.New("easemob: core.New needs limits")
	}
	hc := o.HTTPClient
	if hc == nil {
		// Keep enough idle connections for a saturated group: a new TCP
		// handshake per call would delay every send.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 256
		hc = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	rc := resty.NewWithClient(hc)
	rc.SetHeader("Accept", "application/json")
	if o.UserAgent != "" {
		rc.SetHeader("User-Agent", o.UserAgent)
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	c := &Client{
		http:   rc,
		root:   base + "/" + org + "/" + app,
		limits: o.Limits,
		static: o.Token,
		retry:  o.Retry.withDefaults(),
	}
	c.tokens = &tokenCache{now: now, fetch: func(ctx context.Context) (token, error) {
		return c.fetchToken(ctx, o.ClientID, o.ClientSecret, now)
	}}
	return c, nil
}

// Stats returns the counters of one group.
func (c *Client) Stats(g catalog.GroupID) *GroupStats { return &c.stats[g] }

// Limits returns the App Key's limiters.
func (c *Client) Limits() *ratelimit.App { return c.limits }

type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
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
		return token{}, &Error{Op: catalog.AuthGetAppToken.ID, Description: "token response has no access_token"}
	}
	return newToken(out.AccessToken, issued, time.Duration(out.ExpiresIn)*time.Second), nil
}

func (c *Client) token(ctx context.Context) (string, error) {
	if c.static != "" {
		return c.static, nil
	}
	return c.tokens.Token(ctx)
}
