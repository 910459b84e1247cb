package core

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync/atomic"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/ratelimit"
)

// hooks carry the request path's events to the options' Observer and
// Logger. They are kept out of Do's lines: Do calls one method per event.
type hooks struct {
	obs observe.Observer // nil: no observer
	log *slog.Logger     // never nil; discards unless Options.Logger is set
	app string
	// factor is the last rate factor seen per group (math.Float64bits; 0
	// stands for 1), so a change is reported once, by whichever call sees it.
	factor [catalog.NumGroups]atomic.Uint64
}

// discard is the logger of a client configured without one: the SDK logs
// nothing through the process's default logger unless asked to.
var discard = slog.New(slog.DiscardHandler)

func (h *hooks) init(o Options) {
	h.obs, h.log, h.app = o.Observer, o.Logger, o.AppKey
	if h.log == nil {
		h.log = discard
	}
}

func (c *Client) emit(ctx context.Context, op *catalog.Op, e observe.Event) {
	if c.hooks.obs == nil {
		return
	}
	e.AppKey, e.Group, e.Op = c.hooks.app, catalog.Groups[op.Group].Group, op.ID
	c.hooks.obs.Observe(ctx, e)
}

// observed reports the outcome of a call's quota acquisition, asked for at
// asked: granted (with its wait) or refused for quota. Other errors (an
// ended context, a token fetch) are not about quota and are not reported.
func (c *Client) observed(ctx context.Context, op *catalog.Op, lim *ratelimit.Limiter, asked time.Time, err error) {
	if err == nil {
		c.emit(ctx, op, observe.Event{Kind: observe.Acquired, Wait: time.Since(asked)})
		if c.hooks.factor[op.Group].Load() != 0 {
			c.rateSeen(ctx, op, lim) // cut earlier: it may have recovered
		}
		return
	}
	var wait *ratelimit.WaitError
	if errors.As(err, &wait) {
		c.emit(ctx, op, observe.Event{Kind: observe.Refused, Wait: wait.Wait, Err: err})
		c.hooks.log.DebugContext(ctx, "easemob: refused for quota", "op", op.ID, "group", wait.Group, "wait", wait.Wait)
	}
}

// serverRefused reports a rate refusal by the server (after the limiter
// was told of it) and the cut of the group's rate it may have caused.
func (c *Client) serverRefused(ctx context.Context, op *catalog.Op, lim *ratelimit.Limiter, e *Error) {
	c.emit(ctx, op, observe.Event{Kind: observe.RateLimited, Status: e.StatusCode})
	c.hooks.log.WarnContext(ctx, "easemob: server refused for rate", "op", op.ID, "group", e.Group,
		"status", e.StatusCode, "code", e.Code)
	c.rateSeen(ctx, op, lim)
}

// retrying reports a resend after attempt failed with err.
func (c *Client) retrying(ctx context.Context, op *catalog.Op, attempt int, err error) {
	c.emit(ctx, op, observe.Event{Kind: observe.Retry, Attempt: attempt, Err: err})
	c.hooks.log.InfoContext(ctx, "easemob: resending", "op", op.ID, "attempt", attempt, "err", c.secrets.clean(err.Error()))
}

// rateSeen reports a change of the group's rate factor. Callers ask only
// after a refusal (which may cut it) or while the last factor seen is below
// 1, so a group at its full rate pays one atomic load per call.
func (c *Client) rateSeen(ctx context.Context, op *catalog.Op, lim *ratelimit.Limiter) {
	last := &c.hooks.factor[op.Group]
	bits := last.Load()
	was := 1.0
	if bits != 0 {
		was = math.Float64frombits(bits)
	}
	now := lim.RateFactor()
	next := math.Float64bits(now)
	if now >= 1 {
		next = 0
	}
	if now == was || !last.CompareAndSwap(bits, next) {
		return // unchanged, or another call reports the change
	}
	c.emit(ctx, op, observe.Event{Kind: observe.RateChanged, Factor: now})
	group := catalog.Groups[op.Group].Group
	if now < was {
		c.hooks.log.WarnContext(ctx, "easemob: slowing the group down after the server's refusals", "group", group, "rate_factor", now)
	} else {
		c.hooks.log.InfoContext(ctx, "easemob: group's rate raised back", "group", group, "rate_factor", now)
	}
}
