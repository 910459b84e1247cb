package presence

import (
	"encoding/json"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// Status is a presence status: "0" offline, "1" online, any other number a
// status of the app's own.
type Status string

// The documented statuses.
const (
	Offline Status = "0"
	Online  Status = "1"
)

// Presence is one user's presence as the server reports it. The server
// gives times in Unix seconds, as numeric strings.
type Presence struct {
	// Username is the user (the answer's uid).
	Username string
	// LastTime is the Unix second of the user's last status change.
	LastTime int64
	// Expiry is the Unix second the subscription ends; only a Subscribe
	// answer carries it.
	Expiry int64
	// Ext is the status text the user set.
	Ext string
	// Status maps each of the user's device resources (e.g. "android") to
	// its status.
	Status map[string]Status
}

// LastChange returns LastTime as a time (zero when unset).
func (p Presence) LastChange() time.Time { return unixSeconds(p.LastTime) }

// Expires returns Expiry as a time (zero when unset).
func (p Presence) Expires() time.Time { return unixSeconds(p.Expiry) }

func unixSeconds(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

// UnmarshalJSON reads the numbers whether they come as numbers or strings.
func (p *Presence) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	last, _ := o.Int64("last_time")
	expiry, _ := o.Int64("expiry")
	*p = Presence{Username: o.String("uid"), LastTime: last, Expiry: expiry, Ext: o.String("ext")}
	var st core.Object
	if err := o.Decode("status", &st); err != nil {
		return err
	}
	if st != nil {
		p.Status = make(map[string]Status, len(st))
		for res := range st {
			p.Status[res] = Status(st.String(res))
		}
	}
	return nil
}

// Subscription is one user a subscriber follows.
type Subscription struct {
	// Username is the user subscribed to (the answer's uid).
	Username string
	// Expiry is the Unix second the subscription ends.
	Expiry int64
}

// Expires returns Expiry as a time.
func (s Subscription) Expires() time.Time { return unixSeconds(s.Expiry) }

// UnmarshalJSON reads expiry as a number or a numeric string.
func (s *Subscription) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	expiry, _ := o.Int64("expiry")
	*s = Subscription{Username: o.String("uid"), Expiry: expiry}
	return nil
}

// SubscriptionPage is one page of a user's subscriptions.
type SubscriptionPage struct {
	// Total is the number of subscriptions over all pages.
	Total         int
	Subscriptions []Subscription
}

// UnmarshalJSON reads totalnum as a number or a numeric string.
func (p *SubscriptionPage) UnmarshalJSON(b []byte) error {
	var raw struct {
		Total   core.Int64     `json:"totalnum"`
		Sublist []Subscription `json:"sublist"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*p = SubscriptionPage{Total: int(raw.Total), Subscriptions: raw.Sublist}
	return nil
}

// GroupKind says what GroupOnlineCount counts in.
type GroupKind string

// Group kinds of presence.GetGroupOnlineCount.
const (
	// ChatGroup is a chat group (query type 1).
	ChatGroup GroupKind = "1"
	// CommunityServer is a super-community server (query type 0).
	CommunityServer GroupKind = "0"
)
