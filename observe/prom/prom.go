// Package prom exports the SDK's quota events (package observe) as
// Prometheus metrics, per App Key and quota group:
//
//	easemob_quota_wait_seconds          histogram of the waits for quota of granted calls
//	easemob_quota_acquisitions_total    calls granted quota (every attempt)
//	easemob_quota_refusals_total        calls refused locally for quota, spending nothing
//	easemob_server_rate_limited_total   the server's rate refusals (429, or 403 for a message quota)
//	easemob_retries_total               resends
//	easemob_rate_factor                 the group's rate after adaptation to the server (1: full quota)
//
// A Collector is both the observe.Observer to put in easemob.Config and the
// prometheus.Collector to register:
//
//	col := prom.New()
//	prometheus.MustRegister(col)
//	c, err := easemob.New(easemob.Config{ /* ... */ Observer: col})
//
// It lives in its own package so that the SDK does not depend on the
// Prometheus client.
package prom

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/emquota/easemob/observe"
)

// Collector counts quota events as Prometheus metrics. It is safe for
// concurrent use; one Collector may serve many clients.
type Collector struct {
	waits       *prometheus.HistogramVec
	acquired    *prometheus.CounterVec
	refused     *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	retries     *prometheus.CounterVec
	factor      *prometheus.GaugeVec
	groups      sync.Map // key -> struct{}: the groups whose factor is shown
}

type key struct{ app, group string }

var _ observe.Observer = (*Collector)(nil)
var _ prometheus.Collector = (*Collector)(nil)

// DefaultBuckets are the wait histogram's buckets, in seconds: from no wait
// to a whole minute window.
var DefaultBuckets = []float64{0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// Option configures a Collector.
type Option func(*options)

type options struct {
	namespace string
	buckets   []float64
	labels    prometheus.Labels
}

// WithNamespace replaces the metric names' prefix "easemob".
func WithNamespace(ns string) Option { return func(o *options) { o.namespace = ns } }

// WithBuckets replaces DefaultBuckets.
func WithBuckets(b []float64) Option { return func(o *options) { o.buckets = b } }

// WithConstLabels adds labels with fixed values to every metric (say, the
// service's name).
func WithConstLabels(l prometheus.Labels) Option { return func(o *options) { o.labels = l } }

// labels are the variable labels of every metric.
var labels = []string{"app_key", "group"}

// New returns a Collector; register it with a prometheus.Registerer.
func New(opts ...Option) *Collector {
	o := options{namespace: "easemob", buckets: DefaultBuckets}
	for _, f := range opts {
		f(&o)
	}
	counter := func(subsystem, name, help string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: o.namespace, Subsystem: subsystem,
			Name: name, Help: help, ConstLabels: o.labels}, labels)
	}
	return &Collector{
		waits: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: o.namespace, Subsystem: "quota",
			Name: "wait_seconds", Help: "How long granted calls waited for their quota.",
			Buckets: o.buckets, ConstLabels: o.labels}, labels),
		acquired:    counter("quota", "acquisitions_total", "Calls granted their quota, resends included."),
		refused:     counter("quota", "refusals_total", "Calls refused locally for quota, spending nothing."),
		rateLimited: counter("server", "rate_limited_total", "The server's refusals for rate (429 reach_limit, 403 message quota)."),
		retries:     counter("", "retries_total", "Calls resent after a failed attempt."),
		factor: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: o.namespace, Name: "rate_factor",
			Help: "The group's rate after adaptation to the server's refusals (1: the configured quota).", ConstLabels: o.labels}, labels),
	}
}

// Observe implements observe.Observer.
func (c *Collector) Observe(_ context.Context, e observe.Event) {
	switch e.Kind {
	case observe.Acquired:
		c.acquired.WithLabelValues(e.AppKey, e.Group).Inc()
		c.waits.WithLabelValues(e.AppKey, e.Group).Observe(e.Wait.Seconds())
		if _, known := c.groups.LoadOrStore(key{e.AppKey, e.Group}, struct{}{}); !known {
			c.factor.WithLabelValues(e.AppKey, e.Group).Set(1) // shown from the group's first call
		}
	case observe.Refused:
		c.refused.WithLabelValues(e.AppKey, e.Group).Inc()
	case observe.RateLimited:
		c.rateLimited.WithLabelValues(e.AppKey, e.Group).Inc()
	case observe.Retry:
		c.retries.WithLabelValues(e.AppKey, e.Group).Inc()
	case observe.RateChanged:
		c.groups.Store(key{e.AppKey, e.Group}, struct{}{})
		c.factor.WithLabelValues(e.AppKey, e.Group).Set(e.Factor)
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, m := range c.collectors() {
		m.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.collectors() {
		m.Collect(ch)
	}
}

func (c *Collector) collectors() []prometheus.Collector {
	return []prometheus.Collector{c.waits, c.acquired, c.refused, c.rateLimited, c.retries, c.factor}
}
