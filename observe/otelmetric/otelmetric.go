// Package otelmetric records the SDK's quota events (package observe) with
// OpenTelemetry metric instruments, attributed by easemob.app_key and
// easemob.group:
//
//	easemob.quota.wait          histogram (s) of the waits for quota of granted calls
//	easemob.quota.acquisitions  calls granted quota (every attempt)
//	easemob.quota.refusals      calls refused locally for quota, spending nothing
//	easemob.server.rate_limited the server's rate refusals (429, or 403 for a message quota)
//	easemob.retries             resends
//	easemob.rate_factor         gauge: the group's rate after adaptation to the server (1: full quota)
//
// Use it with any MeterProvider:
//
//	obs, err := otelmetric.New(otel.Meter("easemob"))
//	c, err := easemob.New(easemob.Config{ /* ... */ Observer: obs})
//
// It lives in its own package so that the SDK does not depend on OpenTelemetry.
package otelmetric

import (
	"context"
	"errors"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/emquota/easemob/observe"
)

// Attribute keys of every measurement.
const (
	AppKeyKey = attribute.Key("easemob.app_key")
	GroupKey  = attribute.Key("easemob.group")
)

// Observer records quota events with a Meter's instruments. It is safe for
// concurrent use; one Observer may serve many clients.
type Observer struct {
	wait        metric.Float64Histogram
	acquired    metric.Int64Counter
	refused     metric.Int64Counter
	rateLimited metric.Int64Counter
	retries     metric.Int64Counter
	factor      metric.Float64Gauge
	attrs       sync.Map // key -> metric.MeasurementOption, built once per group
}

type key struct{ app, group string }

var _ observe.Observer = (*Observer)(nil)

// New creates the instruments on m.
func New(m metric.Meter) (*Observer, error) {
	o := &Observer{}
	var errs [6]error
	o.wait, errs[0] = m.Float64Histogram("easemob.quota.wait", metric.WithUnit("s"),
		metric.WithDescription("How long granted calls waited for their quota."))
	o.acquired, errs[1] = m.Int64Counter("easemob.quota.acquisitions", metric.WithUnit("{call}"),
		metric.WithDescription("Calls granted their quota, resends included."))
	o.refused, errs[2] = m.Int64Counter("easemob.quota.refusals", metric.WithUnit("{call}"),
		metric.WithDescription("Calls refused locally for quota, spending nothing."))
	o.rateLimited, errs[3] = m.Int64Counter("easemob.server.rate_limited", metric.WithUnit("{call}"),
		metric.WithDescription("The server's refusals for rate (429 reach_limit, 403 message quota)."))
	o.retries, errs[4] = m.Int64Counter("easemob.retries", metric.WithUnit("{call}"),
		metric.WithDescription("Calls resent after a failed attempt."))
	o.factor, errs[5] = m.Float64Gauge("easemob.rate_factor", metric.WithUnit("1"),
		metric.WithDescription("The group's rate after adaptation to the server's refusals (1: the configured quota)."))
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return o, nil
}

// attributes returns the measurement option of one group, and whether it
// was just built (the group's first event).
func (o *Observer) attributes(e observe.Event) (metric.MeasurementOption, bool) {
	k := key{e.AppKey, e.Group}
	if a, ok := o.attrs.Load(k); ok {
		return a.(metric.MeasurementOption), false
	}
	opt := metric.WithAttributeSet(attribute.NewSet(AppKeyKey.String(e.AppKey), GroupKey.String(e.Group)))
	a, loaded := o.attrs.LoadOrStore(k, opt)
	return a.(metric.MeasurementOption), !loaded
}

// Observe implements observe.Observer; measurements carry the call's context.
func (o *Observer) Observe(ctx context.Context, e observe.Event) {
	attrs, first := o.attributes(e)
	switch e.Kind {
	case observe.Acquired:
		o.acquired.Add(ctx, 1, attrs)
		o.wait.Record(ctx, e.Wait.Seconds(), attrs)
		if first {
			o.factor.Record(ctx, 1, attrs) // shown from the group's first call
		}
	case observe.Refused:
		o.refused.Add(ctx, 1, attrs)
	case observe.RateLimited:
		o.rateLimited.Add(ctx, 1, attrs)
	case observe.Retry:
		o.retries.Add(ctx, 1, attrs)
	case observe.RateChanged:
		o.factor.Record(ctx, e.Factor, attrs)
	}
}
