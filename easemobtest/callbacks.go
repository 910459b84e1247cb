package easemobtest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// callbacksOps are the operations of stored callback failures.
var callbacksOps = ops{
	catalog.CallbacksGetStorageInfo: {serve: callbackStorageInfo},
	catalog.CallbacksRetry:          {check: checkRedelivery, serve: redeliverCallbacks},
}

// Documented storage of failed webhooks.
const (
	callbackSlice     = 10 * time.Minute // one set per slice
	callbackKept      = 72 * time.Hour   // sets are kept 3 days
	callbackKeyLayout = "200601021504"   // a set's date key: its slice's start (UTC here)
)

// callbackState is the world's state of stored callback failures: one set
// per 10-minute slice, by date key.
type callbackState struct {
	sets map[string]*callbackSet
}

type callbackSet struct {
	size, retry int
}

// StoreCallbackFailures records n failed post-send webhooks at time at, as
// the server stores them when a delivery fails: in the set of at's
// 10-minute slice (its date key is the slice's start in UTC,
// yyyyMMddHHmm). Sets older than 3 days are no longer listed.
func (e *Emulator) StoreCallbackFailures(at time.Time, n int) error {
	if n <= 0 {
		return fmt.Errorf("easemobtest: %d callback failures", n)
	}
	key := at.UTC().Truncate(callbackSlice).Format(callbackKeyLayout)
	e.world.locked(func() {
		s := &e.world.callbacks
		if s.sets == nil {
			s.sets = map[string]*callbackSet{}
		}
		if s.sets[key] == nil {
			s.sets[key] = &callbackSet{}
		}
		s.sets[key].size += n
	})
	return nil
}

// live returns the set of key if it is still kept at now.
func (s *callbackState) live(key string, now time.Time) *callbackSet {
	start, err := time.Parse(callbackKeyLayout, key)
	if err != nil || now.Sub(start) >= callbackKept {
		return nil
	}
	return s.sets[key]
}

// callbackEnvelope is the answer of both calls: the examples give path
// /callbacks and action post, the GET's too.
func (q *request) callbackEnvelope(data any) *envelope {
	env := q.envelope("post").withApp(q)
	env.Path, env.Data = "/callbacks", data
	env.URI = q.baseURI() + "/callbacks"
	return env
}

// baseURI is the absolute URI of the app, /{org}/{app}.
func (q *request) baseURI() string {
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + q.r.Host + "/" + q.e.org + "/" + q.e.app
}

type callbackSetEntry struct {
	Date  string `json:"date"`
	Size  int    `json:"size"`
	Retry int    `json:"retry"`
}

func callbackStorageInfo(q *request) (any, *apiError) {
	s := &q.w.callbacks
	out := []callbackSetEntry{}
	for key := range s.sets {
		if set := s.live(key, q.now); set != nil {
			out = append(out, callbackSetEntry{key, set.size, set.retry})
		}
	}
	slices.SortFunc(out, func(a, b callbackSetEntry) int { return cmp.Compare(a.Date, b.Date) })
	return q.callbackEnvelope(out), nil
}

type redelivery struct {
	Date      string  `json:"date"`
	Retry     flexInt `json:"retry"`
	TargetURL string  `json:"targetUrl"`
}

func checkRedelivery(q *request) *apiError {
	body, aerr := decodeBody[redelivery](q)
	if aerr != nil {
		return aerr
	}
	if _, err := time.Parse(callbackKeyLayout, body.Date); err != nil || len(body.Date) != len(callbackKeyLayout) {
		return errIllegalArgument("date must be yyyyMMddHHmm: " + body.Date)
	}
	return nil
}

// redeliverCallbacks answers success for a stored set, counting the
// redelivery, and failure for a date with none (or one past 3 days).
func redeliverCallbacks(q *request) (any, *apiError) {
	body, _ := decodeBody[redelivery](q)
	set := q.w.callbacks.live(body.Date, q.now)
	if set == nil {
		return q.callbackEnvelope("failure"), nil
	}
	set.retry++
	return q.callbackEnvelope("success"), nil
}
