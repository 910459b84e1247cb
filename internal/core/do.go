package core

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// Request is one call as a module describes it.
type Request struct {
	Op *catalog.Op
	// Params fill the {…} segments of Op.Path in order; each is escaped.
	Params []string
	Query  url.Values
	// Body is sent as JSON; Form, when set, as application/x-www-form-urlencoded.
	Body any
	Form url.Values
	// Messages is the number of messages the call sends (for Messages-unit limits).
	Messages int
	// Result receives the decoded 2xx body; nil discards it.
	Result any
	// NoAuth sends no Authorization header (token requests).
	NoAuth bool
}

// Do runs the request path: the app token, quota for every side of the
// op's group, the send, decoding; on 401 one token refresh and resend; on a
// rate refusal or a retryable 5xx a jittered backoff and a resend that pays
// quota again, within the retry policy.
func (c *Client) Do(ctx context.Context, r *Request) error {
	lim := c.limits.At(int(r.Op.Group))
	stats := &c.stats[r.Op.Group]
	cost := ratelimit.Cost{Messages: r.Messages, Scope: scopeValue(r)}
	u := c.url(r)
	refreshed := false
	for attempt := 1; ; attempt++ {
		// The token comes first: the call holds its quota from the grant to
		// its answer, so nothing slow may stand between grant and send.
		tok := ""
		if !r.NoAuth {
			var err error
			if tok, err = c.token(ctx); err != nil {
				return err
			}
		}
		grant, err := lim.Acquire(ctx, cost)
		if err != nil {
			return err
		}
		stats.Sent.Add(1)
		resp, err := c.send(ctx, r, u, tok)
		if err != nil {
			grant.Unanswered() // it may still reach the server
			return fmt.Errorf("easemob: %s: %w", r.Op.ID, err)
		}
		// The server counted the call before it answered: from now on the
		// call holds quota for one window, not one window plus a margin.
		grant.Answered()
		if code := resp.StatusCode(); code >= 200 && code < 300 {
			return decode(r, resp.Body())
		}
		apiErr := decodeError(r.Op, resp)
		if apiErr.RateLimited() {
			stats.RateLimited.Add(1)
			lim.Throttled() // the server's real quota is below ours: slow down
		}
		switch {
		case apiErr.StatusCode == http.StatusUnauthorized && !r.NoAuth && c.static == "" && !refreshed:
			refreshed = true
			c.tokens.Invalidate(tok)
			attempt-- // a token refresh is not a retry: it does not use up the budget
			continue
		case attempt < c.retry.MaxAttempts && c.retry.retryable(r.Op.Method, apiErr):
			if err := sleepCtx(ctx, c.retry.backoff(attempt, retryAfter(resp))); err != nil {
				return apiErr
			}
			continue
		}
		return apiErr
	}
}

func (c *Client) send(ctx context.Context, r *Request, u, tok string) (*resty.Response, error) {
	req := c.http.R().SetContext(ctx)
	if tok != "" {
		req.SetHeader("Authorization", "Bearer "+tok)
	}
	if r.Query != nil {
		req.SetQueryParamsFromValues(r.Query)
	}
	switch {
	case r.Form != nil:
		req.SetFormDataFromValues(r.Form)
	case r.Body != nil:
		req.SetHeader("Content-Type", "application/json").SetBody(r.Body)
	}
	return req.Execute(r.Op.Method, u)
}

func (c *Client) url(r *Request) string {
	var b strings.Builder
	b.WriteString(c.root)
	path, i := r.Op.Path, 0
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			b.WriteString(path)
			return b.String()
		}
		end := strings.IndexByte(path[open:], '}') + open
		b.WriteString(path[:open])
		if i < len(r.Params) {
			b.WriteString(url.PathEscape(r.Params[i]))
		}
		i++
		path = path[end+1:]
	}
}

// scopeValue is the path value that per-scope limits of the op's group count
// for, e.g. the username of a per-user quota.
func scopeValue(r *Request) string {
	i := scopeParam[r.Op]
	if i < 0 || i >= len(r.Params) {
		return ""
	}
	return strings.ToLower(r.Params[i]) // user IDs are case-insensitive
}

// scopeParam maps each op to the index of the path parameter its group's
// per-scope limits name, or -1.
var scopeParam = func() map[*catalog.Op]int {
	m := make(map[*catalog.Op]int, len(catalog.Ops))
	for _, op := range catalog.Ops {
		m[op] = -1
		for _, lim := range catalog.Groups[op.Group].Limits {
			if lim.Per != "" {
				m[op] = paramIndex(op.Path, lim.Per)
			}
		}
	}
	return m
}()

func paramIndex(path, name string) int {
	i := 0
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			if seg[1:len(seg)-1] == name {
				return i
			}
			i++
		}
	}
	return -1
}

func decode(r *Request, body []byte) error {
	if r.Result == nil || len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, r.Result); err != nil {
		return fmt.Errorf("easemob: %s: decoding response: %w", r.Op.ID, err)
	}
	return nil
}

func decodeError(op *catalog.Op, resp *resty.Response) *Error {
	e := &Error{}
	_ = json.Unmarshal(resp.Body(), e) // bodies vary; keep what decodes
	e.StatusCode = resp.StatusCode()
	e.Op = op.ID
	e.Group = catalog.Groups[op.Group].Group
	if e.Description == "" && e.Code == "" {
		e.Description = strings.TrimSpace(string(resp.Body()))
	}
	return e
}

func retryAfter(resp *resty.Response) time.Duration {
	s := resp.Header().Get("Retry-After")
	if s == "" {
		return 0
	}
	if n, err := strconv.Atoi(s); err == nil {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil {
		return time.Until(t)
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
