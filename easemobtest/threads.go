package easemobtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
)

// threadsOps are the operations of threads and their members.
var threadsOps = ops{
	catalog.ThreadsList:              {check: checkThreadPage, serve: listThreads},
	catalog.ThreadsListByUser:        {check: checkThreadPage, serve: listUserThreads},
	catalog.ThreadsListByUserInGroup: {check: checkThreadPage, serve: listUserThreads},
	// The docs' example sends group_id and msg_id as numbers, typed
	// String: the server takes both.
	catalog.ThreadsCreate:        {check: checkCreateThread, checked: []string{"group_id", "msg_id"}, serve: createThread},
	catalog.ThreadsUpdate:        {check: checkRenameThread, serve: renameThread},
	catalog.ThreadsDelete:        {serve: deleteThread},
	catalog.ThreadsListMembers:   {check: checkThreadPage, serve: listThreadMembers},
	catalog.ThreadsAddMembers:    {check: checkThreadUsers, serve: addThreadMembers},
	catalog.ThreadsRemoveMembers: {check: checkThreadUsers, serve: removeThreadMembers},
}

// Documented thread bounds.
const (
	maxThreadName     = 64     // characters
	maxThreadsPerApp  = 100000 // threads of an app
	maxThreadsPerUser = 100000 // threads one user is in
	threadPageDefault = 50
	threadIDBase      = 177000000000000000 // thread IDs are long numbers
)

var (
	maxThreadPage  = catalog.ThreadsList.MaxItems("limit")
	maxThreadUsers = catalog.ThreadsAddMembers.MaxItems("usernames")
)

// groupRoster, once the groups module sets it, returns a group's members
// (lowercase user IDs) and whether the group exists; mu is held. Until
// then the emulator knows no group: threads take any group id (the owner
// must be a registered user), and a group's online count is 0.
var groupRoster func(w *world, groupID string) (members []string, ok bool)

// threadState is the world's state of threads and their members. Maps
// are made on first use.
type threadState struct {
	byID   map[string]*threadRec
	order  []*threadRec      // creation order
	byMsg  map[string]string // message id -> its thread's id
	seq    uint64            // threads created
	joins  uint64            // joins ever made: the order of members
	joined map[string]int    // user -> number of threads it is in
}

// threadRec is one thread.
type threadRec struct {
	id, name, owner, msgID, groupID string
	created                         int64 // ms
	seq                             uint64
	members                         []threadMember // join order
}

type threadMember struct {
	name string
	seq  uint64 // join order
}

func init() {
	userCascade = append(userCascade, (*world).leaveThreads)
	groupCascade = append(groupCascade, (*world).dropGroupThreads)
}

func errThread(status int, desc string) *apiError {
	return &apiError{status, "group_error", "EasemobGroupException", desc}
}

func errThreadNotFound() *apiError { return errThread(http.StatusNotFound, "thread not found.") }

// thread returns the thread of the request's path.
func (q *request) thread() (*threadRec, *apiError) {
	t := q.w.threads.byID[q.param("thread_id")]
	if t == nil {
		return nil, errThreadNotFound()
	}
	return t, nil
}

func (t *threadRec) member(name string) int {
	return slices.IndexFunc(t.members, func(m threadMember) bool { return m.name == name })
}

// join adds a user to a thread; it reports false when the user is in too
// many threads.
func (s *threadState) join(t *threadRec, name string) bool {
	if t.member(name) >= 0 {
		return true
	}
	if s.joined[name] >= maxThreadsPerUser {
		return false
	}
	if s.joined == nil {
		s.joined = map[string]int{}
	}
	s.joins++
	t.members = append(t.members, threadMember{name, s.joins})
	s.joined[name]++
	return true
}

func (s *threadState) leave(t *threadRec, name string) bool {
	i := t.member(name)
	if i < 0 {
		return false
	}
	t.members = slices.Delete(t.members, i, i+1)
	if s.joined[name]--; s.joined[name] <= 0 {
		delete(s.joined, name)
	}
	return true
}

// leaveThreads takes a deleted user out of every thread.
func (w *world) leaveThreads(name string) {
	for _, t := range w.threads.order {
		w.threads.leave(t, name)
	}
}

// dropGroupThreads deletes the threads of a dissolved group.
func (w *world) dropGroupThreads(groupID string) {
	s := &w.threads
	for _, t := range slices.Clone(s.order) {
		if t.groupID == groupID {
			s.remove(t)
		}
	}
}

func (s *threadState) remove(t *threadRec) {
	for _, m := range slices.Clone(t.members) {
		s.leave(t, m.name)
	}
	delete(s.byID, t.id)
	delete(s.byMsg, t.msgID)
	s.order = slices.DeleteFunc(s.order, func(x *threadRec) bool { return x == t })
}

// threadEnvelope starts a thread answer with the fields every example shows.
func (q *request) threadEnvelope(action string) *envelope {
	env := q.envelope(action).withURI(q)
	env.Organization, env.ApplicationName = q.e.org, q.e.app
	return env
}

// threadPage is the query of a thread list: a page from a cursor, in
// ascending or descending order.
type threadPage struct {
	limit     int
	from      uint64 // seq of the first item, when hasCursor
	hasCursor bool
	asc       bool
}

func threadQuery(q *request) (threadPage, *apiError) {
	query := q.r.URL.Query()
	p := threadPage{limit: threadPageDefault, asc: query.Get("sort") == "asc"}
	if n, err := strconv.Atoi(query.Get("limit")); err == nil {
		if n > maxThreadPage {
			return p, errThread(http.StatusBadRequest, "query param reaches limit.")
		}
		p.limit = n
	}
	if c := query.Get("cursor"); c != "" {
		var ok bool
		if p.from, ok = decodeCursor(c); !ok {
			return p, errIllegalArgument("cursor is illegal: " + c)
		}
		p.hasCursor = true
	}
	return p, nil
}

func checkThreadPage(q *request) *apiError {
	_, aerr := threadQuery(q)
	return aerr
}

// threadItems returns up to p.limit of items, which are in ascending seq
// order, walked in p's direction from its cursor, and the seq the next
// page starts at (more is false when nothing follows).
func threadItems[T any](items []T, seq func(T) uint64, p threadPage) (page []T, next uint64, more bool) {
	walk := slices.Clone(items)
	if !p.asc {
		slices.Reverse(walk)
	}
	start := 0
	if p.hasCursor {
		start = slices.IndexFunc(walk, func(it T) bool {
			if p.asc {
				return seq(it) >= p.from
			}
			return seq(it) <= p.from
		})
		if start < 0 {
			start = len(walk)
		}
	}
	end := min(start+p.limit, len(walk))
	if end < len(walk) {
		return walk[start:end], seq(walk[end]), true
	}
	return walk[start:end], 0, false
}

func cursorProperties(next uint64) map[string]string {
	return map[string]string{"cursor": encodeCursor(next)}
}

// threadIDEntity is an item of the app-wide list: the id only.
type threadIDEntity struct {
	ID string `json:"id"`
}

func listThreads(q *request) (any, *apiError) {
	p, _ := threadQuery(q)
	page, next, more := threadItems(q.w.threads.order, func(t *threadRec) uint64 { return t.seq }, p)
	ents := make([]threadIDEntity, len(page))
	for i, t := range page {
		ents[i] = threadIDEntity{t.id}
	}
	env := q.threadEnvelope("get")
	env.Entities = ents
	if more {
		env.Properties = cursorProperties(next)
	}
	return env, nil
}

// threadEntity is a thread as a user's thread lists show it.
type threadEntity struct {
	Name    string `json:"name"`
	Owner   string `json:"owner"`
	ID      string `json:"id"`
	MsgID   string `json:"msgId"`
	GroupID string `json:"groupId"`
	Created int64  `json:"created"`
}

type joinedThread struct {
	t   *threadRec
	seq uint64 // the user's join
}

// listUserThreads lists a user's threads by join time, in one group when
// the path names it. The per-group list gives a cursor on its last page
// too, as documented: the page after it is empty.
func listUserThreads(q *request) (any, *apiError) {
	p, _ := threadQuery(q)
	name, group := fold(q.param("username")), q.param("group_id")
	var joined []joinedThread
	for _, t := range q.w.threads.order {
		if i := t.member(name); i >= 0 && (group == "" || t.groupID == group) {
			joined = append(joined, joinedThread{t, t.members[i].seq})
		}
	}
	slices.SortFunc(joined, func(a, b joinedThread) int { return cmp.Compare(a.seq, b.seq) })
	page, next, more := threadItems(joined, func(j joinedThread) uint64 { return j.seq }, p)
	ents := make([]threadEntity, len(page))
	for i, j := range page {
		t := j.t
		ents[i] = threadEntity{t.name, t.owner, t.id, t.msgID, t.groupID, t.created}
	}
	env := q.threadEnvelope("get")
	env.Entities = ents
	switch {
	case more:
		env.Properties = cursorProperties(next)
	case group != "" && len(page) > 0:
		past := page[len(page)-1].seq + 1 // seqs start at 1: desc reaches 0
		if !p.asc {
			past = page[len(page)-1].seq - 1
		}
		env.Properties = cursorProperties(past)
	}
	return env, nil
}

// threadText is a string field the server also takes as a number.
type threadText string

func (s *threadText) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = threadText(n)
		return nil
	}
	return json.Unmarshal(b, (*string)(s))
}

type newThreadBody struct {
	GroupID threadText `json:"group_id"`
	Name    string     `json:"name"`
	MsgID   threadText `json:"msg_id"`
	Owner   string     `json:"owner"`
}

func checkThreadName(name string) *apiError {
	if utf8.RuneCountInString(name) > maxThreadName {
		return errThread(http.StatusBadRequest, "thread name limit reached.")
	}
	return nil
}

func checkCreateThread(q *request) *apiError {
	body, aerr := decodeBody[newThreadBody](q)
	switch {
	case aerr != nil:
		return aerr
	case body.GroupID == "":
		return errIllegalArgument("group_id: required")
	case body.MsgID == "":
		return errIllegalArgument("msg_id: required")
	}
	return checkThreadName(body.Name)
}

func createThread(q *request) (any, *apiError) {
	body, _ := decodeBody[newThreadBody](q)
	s := &q.w.threads
	owner, group, msg := fold(body.Owner), string(body.GroupID), string(body.MsgID)
	if groupRoster != nil {
		members, ok := groupRoster(q.w, group)
		if !ok {
			return nil, errThread(http.StatusNotFound, "group not found.")
		}
		if !slices.Contains(members, owner) {
			return nil, errThread(http.StatusNotFound, "user not in group.")
		}
	} else if _, ok := q.w.users.get(owner); !ok {
		return nil, errThread(http.StatusNotFound, "user not in group.")
	}
	switch {
	case s.byMsg[msg] != "":
		return nil, errThread(http.StatusForbidden, "msg already create thread.not allow to create.")
	case len(s.order) >= maxThreadsPerApp:
		return nil, errThread(http.StatusForbidden, "thread number has reached limit.")
	case s.joined[owner] >= maxThreadsPerUser:
		return nil, errThread(http.StatusForbidden, "user join thread reach limit.")
	}
	if s.byID == nil {
		s.byID, s.byMsg = map[string]*threadRec{}, map[string]string{}
	}
	s.seq++
	t := &threadRec{id: strconv.FormatUint(threadIDBase+s.seq, 10), name: body.Name, owner: owner,
		msgID: msg, groupID: group, created: q.now.UnixMilli(), seq: s.seq}
	s.byID[t.id], s.byMsg[msg] = t, t.id
	s.order = append(s.order, t)
	s.join(t, owner)
	env := q.threadEnvelope("post")
	env.Data = map[string]string{"thread_id": t.id}
	return env, nil
}

type threadName struct {
	Name string `json:"name"`
}

func checkRenameThread(q *request) *apiError {
	body, aerr := decodeBody[threadName](q)
	if aerr != nil {
		return aerr
	}
	return checkThreadName(body.Name)
}

func renameThread(q *request) (any, *apiError) {
	body, _ := decodeBody[threadName](q)
	t, aerr := q.thread()
	if aerr != nil {
		return nil, aerr
	}
	t.name = body.Name
	env := q.threadEnvelope("put")
	env.Data = map[string]string{"name": t.name}
	return env, nil
}

var threadStatusOK = map[string]string{"status": "ok"}

func deleteThread(q *request) (any, *apiError) {
	t, aerr := q.thread()
	if aerr != nil {
		return nil, aerr
	}
	q.w.threads.remove(t)
	env := q.threadEnvelope("delete")
	env.Data = threadStatusOK
	return env, nil
}

func listThreadMembers(q *request) (any, *apiError) {
	p, _ := threadQuery(q)
	p.asc = true // members come in join order
	t, aerr := q.thread()
	if aerr != nil {
		return nil, aerr
	}
	page, next, more := threadItems(t.members, func(m threadMember) uint64 { return m.seq }, p)
	names := make([]string, len(page))
	for i, m := range page {
		names[i] = m.name
	}
	env := q.envelope("get").withURI(q)
	env.Data = map[string][]string{"affiliations": names}
	if more {
		env.Properties = cursorProperties(next)
	}
	return env, nil
}

type threadUsers struct {
	Usernames []string `json:"usernames"`
}

func checkThreadUsers(q *request) *apiError {
	body, aerr := decodeBody[threadUsers](q)
	if aerr == nil && len(body.Usernames) > maxThreadUsers {
		return errThread(http.StatusBadRequest, "request body reaches limit.")
	}
	return aerr
}

func addThreadMembers(q *request) (any, *apiError) {
	body, _ := decodeBody[threadUsers](q)
	t, aerr := q.thread()
	if aerr != nil {
		return nil, aerr
	}
	for _, u := range body.Usernames {
		if !q.w.threads.join(t, fold(u)) {
			return nil, errThread(http.StatusForbidden, "user join thread reach limit.")
		}
	}
	env := q.threadEnvelope("post")
	env.Data = threadStatusOK
	return env, nil
}

// threadRemoval is one user's result in a removal answer.
type threadRemoval struct {
	Result bool   `json:"result"`
	User   string `json:"user"`
}

func removeThreadMembers(q *request) (any, *apiError) {
	body, _ := decodeBody[threadUsers](q)
	t, aerr := q.thread()
	if aerr != nil {
		return nil, aerr
	}
	out := make([]threadRemoval, len(body.Usernames))
	for i, u := range body.Usernames {
		out[i] = threadRemoval{q.w.threads.leave(t, fold(u)), u}
	}
	env := q.threadEnvelope("delete")
	env.Entities = out
	return env, nil
}
