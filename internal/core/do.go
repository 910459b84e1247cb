package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/schema"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Do runs the request path: input checked against the op's documented
// rules, the app token, quota for every side of the op's group, the send,
// decoding; on 401 one token refresh and resend; on a rate refusal, a
// retryable 5xx or (for idempotent methods) a transport error, a backoff
// and a resend that pays quota again, within the retry policy.
func (c *Client) Do(ctx context.Context, r *Request) error {
	if c.closed.Load() {
		return ErrClosed
	}
	call, err := c.prepare(r)
	if err != nil {
		return err
	}
	lim := c.limiters[r.Op.Group]
	stats := &c.stats[r.Op.Group]
	policy := c.retry
	if r.Opts.Retry != nil {
		policy = r.Opts.Retry.WithDefaults()
	}
	if p := r.Opts.Priority; p != nil && *p != ratelimit.PriorityOf(ctx) {
		ctx = ratelimit.WithPriority(ctx, *p)
	}
	refreshed := false
	for attempt := 1; ; attempt++ {
		tok, err := c.tokenFor(ctx, r, lim, call.cost)
		if err != nil {
			c.observed(ctx, r.Op, lim, time.Time{}, err) // hook
			return err
		}
		asked := time.Now()
		grant, err := c.acquire(ctx, r, lim, call.cost)
		c.observed(ctx, r.Op, lim, asked, err) // hook
		if err != nil {
			return err
		}
		stats.Sent.Add(1)
		r.sent = true
		resp, err := c.send(ctx, r, call, tok)
		if err != nil {
			grant.Unanswered() // it may still reach the server
			err = fmt.Errorf("easemob: %s: %w", r.Op.ID, err)
			if ctx.Err() == nil && attempt < policy.MaxAttempts && c.resendable(r, nil) {
				c.retrying(ctx, r.Op, attempt, err) // hook
				if serr := sleepCtx(ctx, backoff(policy, attempt)); serr != nil {
					return errors.Join(err, serr)
				}
				continue
			}
			return err
		}
		// The server counted the call before it answered: from then on the
		// call holds quota for one window, not one window plus a margin.
		c.counted(&grant, resp)
		capture(r, resp)
		if code := resp.StatusCode(); code >= 200 && code < 300 {
			return decode(r, resp)
		}
		apiErr := c.decodeError(r.Op, resp)
		if apiErr.RateLimited() {
			stats.RateLimited.Add(1)
			lim.Throttled() // the server's real quota is below ours: slow down
			c.serverRefused(ctx, r.Op, lim, apiErr)
		}
		switch {
		case apiErr.StatusCode == http.StatusUnauthorized && !r.NoAuth && c.static == "" && !refreshed:
			refreshed = true
			c.tokens.Invalidate(tok)
			if r.Upload != nil {
				return apiErr // its body was read; the next call has a fresh token
			}
			attempt-- // a token refresh is not a retry: it does not use up the budget
			continue
		case attempt < policy.MaxAttempts && c.resendable(r, apiErr):
			wait := backoff(policy, attempt)
			if apiErr.RetryAfter > 0 {
				// The server said when: earlier resends would pay quota
				// for another refusal, so wait as asked or give up now.
				if dl, ok := ctx.Deadline(); ok && time.Until(dl) < apiErr.RetryAfter {
					return apiErr
				}
				wait = apiErr.RetryAfter
			}
			c.retrying(ctx, r.Op, attempt, apiErr) // hook
			if err := sleepCtx(ctx, wait); err != nil {
				return errors.Join(apiErr, err)
			}
			continue
		}
		return apiErr
	}
}

// counted reports the answer to the grant: counted by the instants the
// server's stamp places, or by the answer.
func (c *Client) counted(g *ratelimit.Grant, resp *answer) {
	granted := g.Granted()
	if granted.IsZero() {
		return // the zero Grant holds nothing to end
	}
	answered := time.Now()
	if st, ok := stampOf(resp.body); ok {
		if local, shared, ok := c.clock.countedBy(st, granted, answered); ok {
			g.CountedBeforeSplit(answered.Sub(local), answered.Sub(shared))
			return
		}
	}
	g.Answered()
}

// maxResendWindow is the longest window whose rate refusal is resent.
const maxResendWindow = 10 * time.Second

// refusedWindow is the window of the side a rate refusal names: the
// shortest Messages window for the message quota's 403, else the shortest
// Calls window of the op's group.
func refusedWindow(op *catalog.Op, e *Error) time.Duration {
	unit := ratelimit.Calls
	if e.messageQuota() {
		unit = ratelimit.Messages
	}
	var w time.Duration
	for _, lim := range catalog.Groups[op.Group].Limits {
		if lim.Unit == unit && (w == 0 || lim.Window < w) {
			w = lim.Window
		}
	}
	return w
}

// prepared is what a request becomes once checked: the URL, the encoded
// body (kept, so that every resend sends the same bytes) and its cost.
type prepared struct {
	url  string
	body []byte
	cost ratelimit.Cost
}

// prepare checks the request against the op's documented rules before any
// quota is spent.
func (c *Client) prepare(r *Request) (*prepared, error) {
	op := r.Op
	path, err := buildPath(op, r.Path)
	if err != nil {
		return nil, err
	}
	if err := checkQuery(op, r.Query); err != nil {
		return nil, err
	}
	if p := schema.Query(op, r.Query); p != nil {
		return nil, Invalid(op.ID, p.Field, "%s", p.Reason)
	}
	p := &prepared{url: c.root + path}
	if r.Body != nil {
		if p.body, err = json.Marshal(r.Body); err != nil {
			return nil, Invalid(op.ID, "body", "cannot encode: %v", err)
		}
		if prob := schema.Body(op, p.body); prob != nil {
			return nil, Invalid(op.ID, prob.Field, "%s", prob.Reason)
		}
	}
	p.cost = ratelimit.Cost{Messages: r.Messages, Scope: scopeValue(r)}
	if p.cost.Messages == 0 {
		p.cost.Messages = schema.MessageUnits(op, p.body)
	}
	return p, nil
}

// tokenFor returns the token to send. A call that will be refused for
// quota before its deadline fetches no token first.
func (c *Client) tokenFor(ctx context.Context, r *Request, lim *ratelimit.Limiter, cost ratelimit.Cost) (string, error) {
	if r.NoAuth {
		return "", nil
	}
	if c.static == "" && !c.tokens.HasLive() {
		if err := lim.Precheck(ctx, cost); err != nil {
			return "", err
		}
	}
	// The token comes before the quota: a grant is held until the answer,
	// so nothing slow may stand between grant and send.
	return c.token(ctx)
}

// acquire takes the call's quota as its options say.
func (c *Client) acquire(ctx context.Context, r *Request, lim *ratelimit.Limiter, cost ratelimit.Cost) (ratelimit.Grant, error) {
	if r.Opts.NoWait {
		return lim.TryAcquire(cost)
	}
	if r.Opts.MaxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Opts.MaxWait)
		defer cancel()
	}
	return lim.Acquire(ctx, cost)
}

// resendable says whether a failed attempt may be sent again: rate
// refusals of sides counted over seconds (the server did nothing); 5xx and transport errors when
// the method is idempotent, or when the caller accepts a duplicate; an
// upload never, nor a download that has written to the caller's writer.
func (c *Client) resendable(r *Request, e *Error) bool {
	if r.Upload != nil {
		return false // its body was read while it was sent
	}
	if r.downloaded > 0 {
		return false // the caller's writer has bytes a resend would repeat
	}
	if e != nil {
		if e.RateLimited() {
			// Unless the server said when, a side counted over minutes or
			// days (a message quota, a daily broadcast cap) will not have
			// room after a backoff.
			return e.RetryAfter > 0 || refusedWindow(r.Op, e) <= maxResendWindow
		}
		switch {
		case e.StatusCode == http.StatusNotImplemented || e.StatusCode == http.StatusHTTPVersionNotSupported:
			return false // permanent: a resend gets the same answer
		case e.StatusCode < 500:
			return false
		}
	}
	return r.Op.Method != http.MethodPost || r.Opts.ResendAmbiguous
}

// answer is a server's answer, its body read whole (bounded).
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a *answer) StatusCode() int     { return a.status }
func (a *answer) Header() http.Header { return a.header }
func (a *answer) Body() []byte        { return a.body }

// maxAnswer bounds the body read of one answer; no documented answer is near it.
const maxAnswer = 64 << 20

func (c *Client) send(ctx context.Context, r *Request, p *prepared, tok string) (*answer, error) {
	send := c.sendPlain
	if r.Upload != nil {
		send = c.sendUpload
	}
	resp, err := send(ctx, r, p, tok)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }() // read to the end or abandoned: nothing to report
	raw := resp.Body
	code := resp.StatusCode
	if r.Download != nil && code >= 200 && code < 300 {
		n, err := io.Copy(r.Download, raw)
		r.downloaded += n
		if err != nil {
			return nil, fmt.Errorf("downloading: %w", err)
		}
		return &answer{status: code, header: resp.Header}, nil
	}
	body, err := io.ReadAll(io.LimitReader(raw, maxAnswer))
	if err != nil {
		return nil, err
	}
	return &answer{status: code, header: resp.Header, body: body}, nil
}

// sendPlain sends a call without an upload; its answer's body is unread.
func (c *Client) sendPlain(ctx context.Context, r *Request, p *prepared, tok string) (*http.Response, error) {
	var body io.Reader
	contentType := ""
	switch {
	case r.Form != nil:
		body, contentType = strings.NewReader(r.Form.Encode()), "application/x-www-form-urlencoded"
	case p.body != nil:
		body, contentType = bytes.NewReader(p.body), "application/json"
	}
	return c.do(ctx, r, p, tok, body, contentType)
}

// do sends one request; net/http replays a bytes.Reader or strings.Reader
// body by itself when its own retries need to.
func (c *Client) do(ctx context.Context, r *Request, p *prepared, tok string, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, r.Op.Method, p.url, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.header {
		req.Header[k] = vs[:len(vs):len(vs)] // an Add copies instead of writing into ours
	}
	for k, vs := range callHeader(r, tok) {
		req.Header[k] = vs
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if r.Query != nil {
		req.URL.RawQuery = r.Query.Encode()
	}
	return c.hc.Do(req)
}

// callHeader is the call's own headers: the token, the op's, the caller's.
func callHeader(r *Request, tok string) http.Header {
	h := http.Header{}
	if tok != "" {
		h.Set("Authorization", "Bearer "+tok)
	}
	for _, from := range []http.Header{r.Header, r.Opts.Header} {
		for k, vs := range from {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
	return h
}

// capture fills the caller's option.Response.
func capture(r *Request, resp *answer) {
	if out := r.Opts.Response; out != nil {
		*out = option.Response{
			StatusCode: resp.StatusCode(),
			Header:     resp.Header().Clone(),
			RequestID:  resp.Header().Get("X-Request-Id"),
		}
	}
}

// scopeValue is the path value that per-scope limits of the op's group
// count for, e.g. the username of a per-user quota.
func scopeValue(r *Request) string {
	for _, lim := range catalog.Groups[r.Op.Group].Limits {
		if lim.Per != "" {
			return strings.ToLower(r.Path[lim.Per]) // user IDs are case-insensitive
		}
	}
	return ""
}

func decode(r *Request, resp *answer) error {
	body := resp.Body()
	if r.Result == nil || r.Download != nil {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return &DecodeError{Op: r.Op.ID, StatusCode: resp.StatusCode(), Reason: "empty body"}
	}
	if err := json.Unmarshal(body, r.Result); err != nil {
		return &DecodeError{Op: r.Op.ID, StatusCode: resp.StatusCode(), Reason: "body is not the documented JSON", Err: err}
	}
	return nil
}

// errorBody is the documented error body.
type errorBody struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
	Exception   string `json:"exception"`
	Timestamp   Int64  `json:"timestamp"`
	Duration    Int64  `json:"duration"`
	// Meta.RetryAfter is the wait in seconds message search's 429 suggests.
	Meta struct {
		RetryAfter Int64 `json:"retryAfter"`
	} `json:"meta"`
}

func (c *Client) decodeError(op *catalog.Op, resp *answer) *Error {
	var b errorBody
	_ = json.Unmarshal(resp.Body(), &b) // bodies vary; keep what decodes
	if b.Description == "" && b.Code == "" {
		b.Description = strings.TrimSpace(string(resp.Body()))
	}
	e := &Error{
		StatusCode:  resp.StatusCode(),
		Code:        c.secrets.clean(b.Code),
		Description: c.secrets.clean(b.Description),
		Exception:   c.secrets.clean(b.Exception),
		Duration:    time.Duration(b.Duration) * time.Millisecond,
		RetryAfter:  retryAfter(resp, time.Duration(b.Meta.RetryAfter)*time.Second),
		Op:          op.ID,
		Group:       catalog.Groups[op.Group].Group,
	}
	if b.Timestamp > 0 {
		e.Timestamp = time.UnixMilli(int64(b.Timestamp))
	}
	return e
}

// retryAfter is the wait the Retry-After header asks for, else the one
// the body suggests (inBody).
func retryAfter(resp *answer, inBody time.Duration) time.Duration {
	s := resp.Header().Get("Retry-After")
	if s == "" {
		return max(inBody, 0)
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(s); err == nil {
		return max(time.Until(t), 0)
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
