package otelmetric_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"

	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/observe/otelmetric"
)

// meter is a Meter whose instruments keep what they are given, by
// instrument name and group.
type meter struct {
	noop.Meter
	mu   sync.Mutex
	seen map[string][]float64 // "name group" -> values
}

func (m *meter) record(name string, v float64, opts []metric.MeasurementOption) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cfg := metric.NewAddConfig(toAdd(opts))
	set := cfg.Attributes()
	group, _ := set.Value(otelmetric.GroupKey)
	app, _ := set.Value(otelmetric.AppKeyKey)
	k := name + " " + app.AsString() + " " + group.AsString()
	m.seen[k] = append(m.seen[k], v)
}

func toAdd(opts []metric.MeasurementOption) []metric.AddOption {
	out := make([]metric.AddOption, len(opts))
	for i, o := range opts {
		out[i] = o
	}
	return out
}

func toMeasure[T any](opts []T) []metric.MeasurementOption {
	out := make([]metric.MeasurementOption, 0, len(opts))
	for _, o := range opts {
		if mo, ok := any(o).(metric.MeasurementOption); ok {
			out = append(out, mo)
		}
	}
	return out
}

type counter struct {
	noop.Int64Counter
	m    *meter
	name string
}

func (c counter) Add(_ context.Context, v int64, opts ...metric.AddOption) {
	c.m.record(c.name, float64(v), toMeasure(opts))
}

type histogram struct {
	noop.Float64Histogram
	m    *meter
	name string
}

func (h histogram) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	h.m.record(h.name, v, toMeasure(opts))
}

type gauge struct {
	noop.Float64Gauge
	m    *meter
	name string
}

func (g gauge) Record(_ context.Context, v float64, opts ...metric.RecordOption) {
	g.m.record(g.name, v, toMeasure(opts))
}

func (m *meter) Int64Counter(name string, _ ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	return counter{m: m, name: name}, nil
}

func (m *meter) Float64Histogram(name string, _ ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	return histogram{m: m, name: name}, nil
}

func (m *meter) Float64Gauge(name string, _ ...metric.Float64GaugeOption) (metric.Float64Gauge, error) {
	return gauge{m: m, name: name}, nil
}

func TestObserverRecordsEveryKind(t *testing.T) {
	m := &meter{seen: map[string][]float64{}}
	o, err := otelmetric.New(m)
	require.NoError(t, err)
	ctx := context.Background()
	ev := func(k observe.Kind, mod func(*observe.Event)) {
		e := observe.Event{Kind: k, AppKey: "org#app", Group: "users.get"}
		if mod != nil {
			mod(&e)
		}
		o.Observe(ctx, e)
	}
	ev(observe.Acquired, func(e *observe.Event) { e.Wait = 250 * time.Millisecond })
	ev(observe.Acquired, nil)
	ev(observe.Refused, nil)
	ev(observe.RateLimited, func(e *observe.Event) { e.Status = 429 })
	ev(observe.Retry, nil)
	ev(observe.RateChanged, func(e *observe.Event) { e.Factor = 0.81 })

	g := " org#app users.get"
	assert.Equal(t, map[string][]float64{
		"easemob.quota.acquisitions" + g:  {1, 1},
		"easemob.quota.wait" + g:          {0.25, 0},
		"easemob.rate_factor" + g:         {1, 0.81},
		"easemob.quota.refusals" + g:      {1},
		"easemob.server.rate_limited" + g: {1},
		"easemob.retries" + g:             {1},
	}, m.seen)
}
