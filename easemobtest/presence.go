package easemobtest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// presenceOps are the operations of presence statuses and subscriptions.
var presenceOps = ops{
	catalog.PresenceSetStatus:           {check: checkSetPresence, serve: setPresence},
	catalog.PresenceSubscribe:           {check: checkSubscribe, serve: subscribePresence},
	catalog.PresenceGetBatch:            {check: checkGetPresences, serve: getPresences},
	catalog.PresenceUnsubscribe:         {check: checkUnsubscribe, serve: unsubscribePresence},
	catalog.PresenceListSubscriptions:   {check: checkSublist, serve: listSubscriptions},
	catalog.PresenceGetGroupOnlineCount: {serve: groupOnlineCount},
}

// Documented presence bounds.
const (
	maxPresenceExt   = 1024 // bytes of a status text
	maxSubscriptions = 3000 // per subscriber; beyond, those closest to expiry go
)

var (
	maxSubscribeBatch = catalog.PresenceSubscribe.MaxItems("usernames")
	maxGetBatch       = catalog.PresenceGetBatch.MaxItems("usernames")
	maxUnsubscribe    = catalog.PresenceUnsubscribe.MaxItems("$")
)

// presenceState is the world's state of presence statuses and
// subscriptions, keyed by lowercase user ID. Maps are made on first use.
type presenceState struct {
	statuses map[string]*userPresence
	subs     map[string]map[string]int64 // subscriber -> target -> expiry (Unix s)
}

// userPresence is what SetStatus stored for one user.
type userPresence struct {
	ext    string
	last   int64             // Unix s of the last change
	status map[string]string // resource -> status
}

func init() { userCascade = append(userCascade, (*world).dropPresence) }

// dropPresence forgets a deleted user's status and every subscription by
// or to it.
func (w *world) dropPresence(name string) {
	s := &w.presence
	delete(s.statuses, name)
	delete(s.subs, name)
	for _, targets := range s.subs {
		delete(targets, name)
	}
}

// presenceEntry is one item of a presence result; numbers go as strings,
// as the docs show them.
type presenceEntry struct {
	UID      string            `json:"uid"`
	LastTime string            `json:"last_time"`
	Expiry   string            `json:"expiry,omitempty"`
	Ext      string            `json:"ext"`
	Status   map[string]string `json:"status"`
}

func (s *presenceState) entry(name string) presenceEntry {
	e := presenceEntry{UID: name, LastTime: "0", Status: map[string]string{}}
	if p := s.statuses[name]; p != nil {
		e.LastTime, e.Ext = strconv.FormatInt(p.last, 10), p.ext
		for res, st := range p.status {
			e.Status[res] = st
		}
	}
	return e
}

// presenceResult is the whole presence answer: {"result": ...}, no envelope.
type presenceResult struct {
	Result any `json:"result"`
}

var presenceOK = presenceResult{"ok"}

type presenceExt struct {
	Ext *string `json:"ext"`
}

func checkSetPresence(q *request) *apiError {
	body, aerr := decodeBody[presenceExt](q)
	switch {
	case aerr != nil:
		return aerr
	case body.Ext == nil || *body.Ext == "":
		return errIllegalArgument("ext cannot be null")
	case len(*body.Ext) > maxPresenceExt:
		return errIllegalArgument("ext is too big")
	}
	return nil
}

func setPresence(q *request) (any, *apiError) {
	body, _ := decodeBody[presenceExt](q)
	s := &q.w.presence
	if s.statuses == nil {
		s.statuses = map[string]*userPresence{}
	}
	name := fold(q.param("username"))
	p := s.statuses[name]
	if p == nil {
		p = &userPresence{status: map[string]string{}}
		s.statuses[name] = p
	}
	p.ext, p.last = *body.Ext, q.now.Unix()
	p.status[q.param("resource")] = q.param("status")
	return presenceOK, nil
}

type presenceTargets struct {
	Usernames []string `json:"usernames"`
}

func checkSubscribe(q *request) *apiError {
	body, aerr := decodeBody[presenceTargets](q)
	switch {
	case aerr != nil:
		return aerr
	case len(body.Usernames) == 0:
		return errIllegalArgument("usernames is empty")
	case len(body.Usernames) > maxSubscribeBatch:
		return errIllegalArgument("too many sub presence")
	case slices.ContainsFunc(body.Usernames, func(u string) bool { return fold(u) == fold(q.param("username")) }):
		return errIllegalArgument("you can't sub yourself")
	}
	return nil
}

func subscribePresence(q *request) (any, *apiError) {
	body, _ := decodeBody[presenceTargets](q)
	secs, _ := strconv.ParseInt(q.param("expiry"), 10, 64)
	s := &q.w.presence
	if s.subs == nil {
		s.subs = map[string]map[string]int64{}
	}
	sub := fold(q.param("username"))
	targets := s.subs[sub]
	if targets == nil {
		targets = map[string]int64{}
		s.subs[sub] = targets
	}
	expiry := q.now.Unix() + secs
	out := make([]presenceEntry, 0, len(body.Usernames))
	for _, u := range body.Usernames {
		name := fold(u)
		targets[name] = expiry // subscribing again overwrites the expiry
		e := s.entry(name)
		e.Expiry = strconv.FormatInt(expiry, 10)
		out = append(out, e)
	}
	trimSubscriptions(targets, maxSubscriptions)
	return presenceResult{out}, nil
}

// trimSubscriptions drops the subscriptions closest to expiry beyond n.
func trimSubscriptions(targets map[string]int64, n int) {
	for len(targets) > n {
		first := ""
		for name, exp := range targets {
			if first == "" || exp < targets[first] || exp == targets[first] && name < first {
				first = name
			}
		}
		delete(targets, first)
	}
}

// live returns the subscriber's unexpired subscriptions.
func (s *presenceState) live(sub string, now time.Time) map[string]int64 {
	out := map[string]int64{}
	for name, exp := range s.subs[fold(sub)] {
		if exp > now.Unix() {
			out[name] = exp
		}
	}
	return out
}

func checkGetPresences(q *request) *apiError {
	body, aerr := decodeBody[presenceTargets](q)
	if aerr == nil && len(body.Usernames) > maxGetBatch {
		return errIllegalArgument("too many get presences")
	}
	return aerr
}

// getPresences answers for the targets the requester subscribes to; an
// unknown requester has none, so its result is empty (as documented).
func getPresences(q *request) (any, *apiError) {
	body, _ := decodeBody[presenceTargets](q)
	s := &q.w.presence
	subs := s.live(q.param("username"), q.now)
	out := []presenceEntry{}
	for _, u := range body.Usernames {
		if _, ok := subs[fold(u)]; ok {
			out = append(out, s.entry(fold(u)))
		}
	}
	return presenceResult{out}, nil
}

// unsubscribeBody is a bare array of user IDs, or the {"users": [...]}
// object of the docs' table, which the server takes too.
type unsubscribeBody struct{ users []string }

func (b *unsubscribeBody) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var obj struct {
			Users []string `json:"users"`
		}
		err := json.Unmarshal(t, &obj)
		b.users = obj.Users
		return err
	}
	return json.Unmarshal(data, &b.users)
}

func checkUnsubscribe(q *request) *apiError {
	body, aerr := decodeBody[unsubscribeBody](q)
	switch {
	case aerr != nil:
		return aerr
	case len(body.users) == 0:
		return errIllegalArgument("usernames cannot be null")
	case len(body.users) > maxUnsubscribe:
		return errIllegalArgument("too many unsub presences")
	}
	return nil
}

func unsubscribePresence(q *request) (any, *apiError) {
	body, _ := decodeBody[unsubscribeBody](q)
	targets := q.w.presence.subs[fold(q.param("username"))]
	for _, u := range body.users {
		delete(targets, fold(u))
	}
	return presenceOK, nil
}

// sublistQuery reads pageNum (from 1) and pageSize; the schema has made
// sure both are integers and pageSize is in range.
func sublistQuery(q *request) (page, size int) {
	page, _ = strconv.Atoi(q.r.URL.Query().Get("pageNum"))
	size, _ = strconv.Atoi(q.r.URL.Query().Get("pageSize"))
	return page, size
}

// checkSublist refuses a page before the first, which the schema allows.
func checkSublist(q *request) *apiError {
	if n, err := strconv.Atoi(q.r.URL.Query().Get("pageNum")); err == nil && n < 1 {
		return errIllegalArgument("pageNum must be at least 1")
	}
	return nil
}

type presenceSub struct {
	UID    string `json:"uid"`
	Expiry string `json:"expiry"`
}

func listSubscriptions(q *request) (any, *apiError) {
	page, size := sublistQuery(q)
	subs := q.w.presence.live(q.param("username"), q.now)
	names := make([]string, 0, len(subs))
	for name := range subs {
		names = append(names, name)
	}
	slices.Sort(names)
	list := []presenceSub{}
	for _, name := range names[min((page-1)*size, len(names)):min(page*size, len(names))] {
		list = append(list, presenceSub{name, strconv.FormatInt(subs[name], 10)})
	}
	return presenceResult{map[string]any{"totalnum": strconv.Itoa(len(names)), "sublist": list}}, nil
}

// groupOnlineCount counts the group's members with a device online: only
// the connection counts, not custom statuses. Without the groups module's
// roster no group has members, so the count is 0.
func groupOnlineCount(q *request) (any, *apiError) {
	n := 0
	if groupRoster != nil {
		members, _ := groupRoster(q.w, q.param("group_id"))
		for _, m := range members {
			if res, ok := q.w.users.resources(m); ok && len(res) > 0 {
				n++
			}
		}
	}
	return presenceResult{n}, nil
}
