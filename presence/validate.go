package presence

import (
	"time"

	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
)

// Documented bounds of the presence API.
const (
	// MaxExtBytes bounds the status text of SetStatus.
	MaxExtBytes = 1024
	// MaxExpiry is the longest subscription (30 days).
	MaxExpiry = 30 * 24 * time.Hour
	// MaxPageSize is the largest page of Subscriptions: the doc-v2 page
	// allows 500, the newer one 100, so the SDK keeps to 100.
	MaxPageSize = 100
)

func checkUser(op, field, name string) error {
	if err := rules.Username(name); err != nil {
		return &core.ValidationError{Op: op, Field: field, Reason: err.Error()}
	}
	return nil
}

// checkStatus holds a status to the documented form: a number.
func checkStatus(op string, s Status) error {
	if s == "" {
		return core.Invalid(op, "status", "empty")
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return core.Invalid(op, "status", "%q is not a number", string(s))
		}
	}
	return nil
}

func checkExt(op, ext string) error {
	switch {
	case ext == "":
		return core.Invalid(op, "ext", "empty; the server requires a status text")
	case len(ext) > MaxExtBytes:
		return core.Invalid(op, "ext", "%d bytes, at most %d allowed", len(ext), MaxExtBytes)
	}
	return nil
}

// expirySeconds turns a subscription length into the path value.
func expirySeconds(op string, d time.Duration) (int64, error) {
	if d < time.Second || d > MaxExpiry {
		return 0, core.Invalid(op, "expiry", "%v, allowed 1s to %v", d, MaxExpiry)
	}
	return int64(d / time.Second), nil
}
