package callbacks

import (
	"context"
	"net/http"
	"net/url"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// FailureSet is the stored failed webhooks of one 10-minute slice.
type FailureSet struct {
	// Date names the slice by its start, yyyyMMddHHmm (e.g. 202109091440).
	Date string `json:"date"`
	// Size is the number of webhooks stored.
	Size int `json:"size"`
	// Retry counts the redeliveries asked for the set (0 until then).
	Retry int `json:"retry"`
}

// Redelivery asks for the stored webhooks of one slice to be sent again.
type Redelivery struct {
	// Date is the slice's key, as FailureSet.Date.
	Date string `json:"date"`
	// Retry is the caller's own count of redeliveries of the set, from 0;
	// the docs advise at most 10.
	Retry int `json:"retry"`
	// TargetURL replaces the rule's webhook URL when set.
	TargetURL string `json:"targetUrl,omitempty"`
}

// StorageInfo lists the slices holding failed webhooks (查询异常缓存数据).
//
//meta:operation GET /callbacks/storage/info (callbacks.GetStorageInfo)
func (s *Service) StorageInfo(ctx context.Context, opts ...option.Call) ([]FailureSet, error) {
	return core.Data[[]FailureSet](ctx, s.c, &core.Request{Op: catalog.CallbacksGetStorageInfo, Opts: option.Resolve(opts...)})
}

// Redeliver sends the stored webhooks of one slice again (补发异常回调数据)
// and reports whether the server did ("success" rather than "failure").
//
//meta:operation POST /callbacks/storage/retry (callbacks.Retry)
func (s *Service) Redeliver(ctx context.Context, r Redelivery, opts ...option.Call) (bool, error) {
	op := catalog.CallbacksRetry
	if err := checkRedelivery(op.ID, r); err != nil {
		return false, err
	}
	res, err := core.Data[string](ctx, s.c, &core.Request{Op: op, Body: r, Opts: option.Resolve(opts...)})
	switch {
	case err != nil:
		return false, err
	case res == "success":
		return true, nil
	case res == "failure":
		return false, nil
	}
	return false, &core.DecodeError{Op: op.ID, StatusCode: http.StatusOK, Reason: "data is " + res + ", not success or failure"}
}

// dateKeyLen is the length of a slice key, yyyyMMddHHmm.
const dateKeyLen = 12

func checkRedelivery(op string, r Redelivery) error {
	if len(r.Date) != dateKeyLen {
		return core.Invalid(op, "Date", "%q is not a slice key yyyyMMddHHmm", r.Date)
	}
	for _, c := range []byte(r.Date) {
		if c < '0' || c > '9' {
			return core.Invalid(op, "Date", "%q is not a slice key yyyyMMddHHmm", r.Date)
		}
	}
	if r.Retry < 0 {
		return core.Invalid(op, "Retry", "%d; counts from 0", r.Retry)
	}
	if r.TargetURL != "" {
		u, err := url.Parse(r.TargetURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return core.Invalid(op, "TargetURL", "%q is not an http(s) URL", r.TargetURL)
		}
	}
	return nil
}
