package threads

import (
	"net/url"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// Thread is a thread as the list calls show it; the app-wide list gives
// only the ID.
type Thread struct {
	ID    string
	Name  string
	Owner string
	// MessageID is the group message the thread was created on (msgId).
	MessageID string
	GroupID   string
	Created   time.Time
}

// UnmarshalJSON reads ids given as strings or numbers.
func (t *Thread) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*t = Thread{
		ID: o.String("id"), Name: o.String("name"), Owner: o.String("owner"),
		MessageID: o.String("msgId"), GroupID: o.String("groupId"), Created: o.Millis("created"),
	}
	return nil
}

// NewThread is a thread to create.
type NewThread struct {
	// GroupID is the group the thread belongs to.
	GroupID string `json:"group_id"`
	// Name is 1 to 64 characters.
	Name string `json:"name"`
	// MessageID is the group message the thread hangs off; a message has
	// at most one thread, and a thread message cannot have one.
	MessageID string `json:"msg_id"`
	// Owner is a member of the group.
	Owner string `json:"owner"`
}

// Sort orders a thread list by time (creation, or joining for a user's
// threads).
type Sort string

// Sort orders; the server's default is Desc.
const (
	Asc  Sort = "asc"
	Desc Sort = "desc"
)

// ListParams page through a thread list.
type ListParams struct {
	// Limit is the page size, 1 to 50; 0 means the server default (50).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
	// Sort is Asc or Desc; empty means the server default (Desc).
	Sort Sort
}

func (p ListParams) query() url.Values {
	q := pageQuery(p.Limit, p.Cursor)
	if p.Sort != "" {
		q.Set("sort", string(p.Sort))
	}
	return q
}

func pageQuery(limit int, cursor string) url.Values {
	q := url.Values{}
	if limit != 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	return q
}

// Page is one page of a thread list.
type Page struct {
	Threads []Thread
	// Cursor fetches the next page; empty on the last one (the list of a
	// user in a group gives one on its last page too: the next is empty).
	Cursor string
}

// MemberParams page through a thread's members.
type MemberParams struct {
	// Limit is the page size, 1 to 50; 0 means the server default (50).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
}

// MemberPage is one page of a thread's members.
type MemberPage struct {
	Usernames []string
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}
