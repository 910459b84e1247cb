package ratelimit

import (
	"context"
	"time"
)

// The registry's view of its store's health. A store is warmed up when the
// registry is made: connections opened and scripts loaded off any call's
// deadline, since a cold client that dials within a 50 ms deadline under
// load can fail every call and, each failure closing what it had opened,
// never get warm. Calls wait for the warm-up. Threshold failures in a row
// put the store down: calls then use the fallback at once, and a probe, at
// most one per Retry and only while calls come, brings the store back as
// soon as it answers.

// startStore warms the store up in the background.
func (r *Registry) startStore() {
	r.ready = make(chan struct{})
	go func() {
		defer close(r.ready)
		if err := r.ping(); err != nil {
			r.failures.Add(1)
			r.storeDown("", err)
		}
	}()
}

// Warm waits until the store's warm-up has ended (at once without a
// store): a process that closes its store client right after making the
// registry waits for it, so the warm-up does not fail on a closed client.
func (r *Registry) Warm(ctx context.Context) error {
	if r.ready == nil {
		return nil
	}
	select {
	case <-r.ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ping asks the store for a round trip, bounded by the policy's Warmup.
func (r *Registry) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), r.policy.Warmup)
	defer cancel()
	return r.store.Ping(ctx)
}

// storeDown switches calls to the fallback after err.
func (r *Registry) storeDown(group string, err error) {
	r.inARow.Store(int64(r.policy.Threshold))
	r.probeAt.Store(r.now() + int64(r.policy.Retry))
	if r.down.CompareAndSwap(false, true) {
		r.downAt.Store(r.now())
		r.logger.Warn("easemob: quota store failing; using the fallback policy",
			"group", group, "err", err, "local_share", r.policy.Share, "probe_every", r.policy.Retry)
	}
}

// probe starts a probe of the down store if one is due and none runs.
func (r *Registry) probe() {
	if r.now() < r.probeAt.Load() || !r.probing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer r.probing.Store(false)
		if err := r.ping(); err != nil {
			r.failures.Add(1)
			r.probeAt.Store(r.now() + int64(r.policy.Retry))
			return
		}
		r.inARow.Store(0)
		if r.down.CompareAndSwap(true, false) {
			r.logger.Info("easemob: quota store back", "down_for", time.Duration(r.now()-r.downAt.Load()))
		}
	}()
}
