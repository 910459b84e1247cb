package easemobtest

import (
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Documented per-user caps of the relations.
const (
	// maxContacts is the friend cap of the Pro and Flagship plans (the V2
	// error table); the Free plan's 100 is not emulated.
	maxContacts = 3000
	// maxBlocks is the blocklist cap of every user.
	maxBlocks = 500
	// maxRemarkChars bounds a friend remark.
	maxRemarkChars = 100
	// maxImport and maxCheck are the per-call caps of import and the checks.
	maxImport = 10
	maxCheck  = 100
	// maxContactPage and maxBlockPage bound the page sizes.
	maxContactPage = 50
	maxBlockPage   = 50
	// unpagedBlocks is what a blocklist read without paging answers.
	unpagedBlocks = 500
)

// relationState holds friendships (both ways, a remark per side) and
// blocklists. seq orders both, newest highest; cursors point at it.
type relationState struct {
	friends map[string]map[string]*friendSide // owner -> friend
	blocks  map[string]map[string]uint64      // owner -> blocked -> seq
	seq     uint64
}

type friendSide struct {
	seq    uint64
	remark string
}

func (s *relationState) areFriends(a, b string) bool { return s.friends[a][b] != nil }

func (s *relationState) befriend(a, b string) {
	s.seq++
	mapOf(&s.friends, a)[b] = &friendSide{seq: s.seq}
	mapOf(&s.friends, b)[a] = &friendSide{seq: s.seq}
}

func (s *relationState) unfriend(a, b string) {
	delete(s.friends[a], b)
	delete(s.friends[b], a)
}

// drop removes the user's relations and every relation naming it.
func (s *relationState) drop(name string) {
	for f := range s.friends[name] {
		delete(s.friends[f], name)
	}
	delete(s.friends, name)
	delete(s.blocks, name)
	for _, blocked := range s.blocks {
		delete(blocked, name)
	}
}

// entry is a name with its sequence, for newest-first listing.
type entry struct {
	name string
	seq  uint64
}

// newestFirst orders names by seq, newest first.
func newestFirst[V any](m map[string]V, seq func(V) uint64) []entry {
	out := make([]entry, 0, len(m))
	for n, v := range m {
		out = append(out, entry{n, seq(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq > out[j].seq })
	return out
}

// seqPage returns up to limit entries starting at cursor position from (0:
// the start) and the position of the next page (0: none).
func seqPage(all []entry, from uint64, limit int) ([]entry, uint64) {
	i := 0
	if from != 0 {
		i = sort.Search(len(all), func(i int) bool { return all[i].seq <= from })
	}
	j := min(i+limit, len(all))
	if j < len(all) {
		return all[i:j], all[j].seq
	}
	return all[i:j], 0
}

func friendSeq(f *friendSide) uint64 { return f.seq }
func blockSeq(seq uint64) uint64     { return seq }

// pagedQuery reads a page size parameter and a cursor: size is def when
// absent and at most most: a larger value is capped, as the server does,
// unless tooLarge words a refusal.
func pagedQuery(q *request, param string, def, most int, tooLarge string) (size int, from uint64, aerr *apiError) {
	size = def
	if s := q.r.URL.Query().Get(param); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			return 0, 0, errIllegalArgument(param + " must be an integer: " + s)
		case n > most && tooLarge != "":
			return 0, 0, errIllegalArgument(tooLarge)
		case n >= 1:
			size = min(n, most)
		}
	}
	if c := q.r.URL.Query().Get("cursor"); c != "" {
		var ok bool
		if from, ok = decodeCursor(c); !ok {
			return 0, 0, errIllegalArgument("cursor is illegal: " + c)
		}
	}
	return size, from, nil
}

// pair reads the two users of a relation call from the path; both must exist.
func (q *request) pair(other string) (owner, peer userEntity, aerr *apiError) {
	owner, ok1 := q.w.users.get(q.param("owner_username"))
	peer, ok2 := q.w.users.get(q.param(other))
	if !ok1 || !ok2 {
		return owner, peer, errUserNotFound()
	}
	return owner, peer, nil
}

// relationEnvelope is the envelope of the calls answering one user.
func (q *request) relationEnvelope(action, path string, u userEntity) *envelope {
	env := q.envelope(action).withURI(q).withApp(q)
	env.Path, env.Entities = path, []userEntity{u}
	return env
}

func addContact(q *request) (any, *apiError) {
	owner, friend, aerr := q.pair("friend_username")
	if aerr != nil {
		return nil, aerr
	}
	s := &q.w.areas.relations
	if !s.areFriends(owner.Username, friend.Username) {
		if len(s.friends[owner.Username]) >= maxContacts || len(s.friends[friend.Username]) >= maxContacts {
			return nil, errExceedLimit("user contact number exceed limit")
		}
		s.befriend(owner.Username, friend.Username)
	}
	return q.relationEnvelope("post", "/users/"+owner.UUID+"/contacts", friend), nil
}

func removeContact(q *request) (any, *apiError) {
	owner, friend, aerr := q.pair("friend_username")
	if aerr != nil {
		return nil, aerr
	}
	q.w.areas.relations.unfriend(owner.Username, friend.Username)
	return q.relationEnvelope("delete", "/users/"+owner.UUID+"/contacts", friend), nil
}

func removeAllContacts(q *request) (any, *apiError) {
	name := fold(q.param("username"))
	s := &q.w.areas.relations
	for f := range s.friends[name] {
		s.unfriend(name, f) // remarks go with the friendships
	}
	env := q.envelope("delete").withURI(q).withApp(q)
	env.Path, env.Entities = "/contacts/users/"+name, []userEntity{}
	return env, nil
}

func listAllContacts(q *request) (any, *apiError) {
	name := fold(q.param("owner_username"))
	if !q.userExists(name) {
		return nil, errUserNotFound()
	}
	all := newestFirst(q.w.areas.relations.friends[name], friendSeq)
	names := make([]string, len(all))
	for i, e := range all {
		names[i] = e.name
	}
	env := q.envelope("get").withURI(q).withCount(len(names))
	env.Entities, env.Data = []userEntity{}, names
	return env, nil
}

const descContactPage = "getContacts | page size more than max limit : 50"

func checkContactsPage(q *request) *apiError {
	_, _, aerr := pagedQuery(q, "limit", defaultPageLimit, maxContactPage, descContactPage)
	return aerr
}

type contactItem struct {
	Remark   *string `json:"remark"`
	Username string  `json:"username"`
}

type contactsData struct {
	Contacts []contactItem `json:"contacts"`
	Cursor   string        `json:"cursor,omitempty"`
}

func listContactsPage(q *request) (any, *apiError) {
	name := fold(q.param("username"))
	if !q.userExists(name) {
		return nil, errUserNotFound()
	}
	limit, from, _ := pagedQuery(q, "limit", defaultPageLimit, maxContactPage, descContactPage)
	sides := q.w.areas.relations.friends[name]
	all := newestFirst(sides, friendSeq)
	page, next := seqPage(all, from, limit)
	remarks := q.r.URL.Query().Get("needReturnRemark") == "true"
	data := contactsData{Contacts: make([]contactItem, len(page))}
	for i, e := range page {
		data.Contacts[i].Username = e.name
		if r := sides[e.name].remark; remarks && r != "" {
			data.Contacts[i].Remark = &r
		}
	}
	if next != 0 {
		data.Cursor = encodeCursor(next)
	}
	env := q.envelope("get").withURI(q).withCount(len(all))
	env.Entities, env.Data = []userEntity{}, data
	return env, nil
}

type remarkBody struct {
	Remark string `json:"remark"`
}

func checkRemark(q *request) *apiError {
	b, aerr := decodeBody[remarkBody](q)
	if aerr == nil && utf8.RuneCountInString(b.Remark) > maxRemarkChars {
		aerr = errIllegalArgument("updateRemark remark length exceeds the limit : " + strconv.Itoa(maxRemarkChars))
	}
	return aerr
}

func setRemark(q *request) (any, *apiError) {
	owner, friend, aerr := q.pair("friend_username")
	if aerr != nil {
		return nil, aerr
	}
	side := q.w.areas.relations.friends[owner.Username][friend.Username]
	if side == nil {
		return nil, errIllegalArgument("updateRemark they are not friends, please add as a friend first.")
	}
	b, _ := decodeBody[remarkBody](q)
	side.remark = b.Remark
	env := q.envelope("put").withURI(q)
	env.Status = "ok"
	return env, nil
}

type namesBody struct {
	Usernames []string `json:"usernames"`
}

func checkContactImport(q *request) *apiError {
	b, aerr := decodeBody[namesBody](q)
	if aerr == nil && len(b.Usernames) > maxImport {
		aerr = errIllegalArgument("request user over flow limit:" + strconv.Itoa(maxImport) + ".")
	}
	return aerr
}

// importResult keys are spelled as the server spells them.
type importResult struct {
	UnKnowFailed   []string `json:"UnKnowFailed"`
	Success        []string `json:"success"`
	NotExistFailed []string `json:"NotExistFailed"`
	MaxLimitFailed []string `json:"maxLimitFailed"`
}

func importContacts(q *request) (any, *apiError) {
	owner := fold(q.param("username"))
	if !q.userExists(owner) {
		return nil, errUserNotFound()
	}
	s := &q.w.areas.relations
	if len(s.friends[owner]) >= maxContacts {
		return nil, errExceedLimit("Inviter's contact max count.")
	}
	b, _ := decodeBody[namesBody](q)
	res := importResult{UnKnowFailed: []string{}, Success: []string{}, NotExistFailed: []string{}, MaxLimitFailed: []string{}}
	for _, n := range b.Usernames {
		f := fold(n)
		switch {
		case !q.userExists(f):
			res.NotExistFailed = append(res.NotExistFailed, n)
		case f == owner:
			res.UnKnowFailed = append(res.UnKnowFailed, n) // no friendship with oneself
		case s.areFriends(owner, f):
			res.Success = append(res.Success, n)
		case len(s.friends[owner]) >= maxContacts || len(s.friends[f]) >= maxContacts:
			res.MaxLimitFailed = append(res.MaxLimitFailed, n)
		default:
			s.befriend(owner, f)
			res.Success = append(res.Success, n)
		}
	}
	env := q.envelope("post")
	env.Status, env.Data = "ok", res
	return env, nil
}

type contactCheckBody struct {
	Username  string   `json:"username"`
	CheckList []string `json:"check_list"`
}

func checkRelations(q *request) *apiError {
	b, aerr := decodeBody[contactCheckBody](q)
	switch {
	case aerr != nil:
		return aerr
	case b.Username == "":
		return errIllegalArgument("username cannot be blank")
	case len(b.CheckList) < 1 || len(b.CheckList) > maxCheck:
		return errIllegalArgument("check_list size must be between 1 and " + strconv.Itoa(maxCheck))
	}
	return nil
}

type relationItem struct {
	Username string `json:"username"`
	Relation string `json:"relation"`
}

// relations answers a check: for each name in order, yes when has says so.
func (q *request) relations(path, yes, no string, has func(owner, name string) bool) *envelope {
	b, _ := decodeBody[contactCheckBody](q)
	owner := fold(b.Username)
	items := make([]relationItem, len(b.CheckList))
	for i, n := range b.CheckList {
		items[i] = relationItem{Username: n, Relation: no}
		if has(owner, fold(n)) {
			items[i].Relation = yes
		}
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Entities = path, items
	return env
}

func checkContacts(q *request) (any, *apiError) {
	return q.relations("/contacts/check", "friend", "not_friend", q.w.areas.relations.areFriends), nil
}

func checkBlocksPage(q *request) *apiError {
	_, _, aerr := pagedQuery(q, "pageSize", defaultPageLimit, maxBlockPage, "")
	return aerr
}

// listBlocks pages the blocklist newest first; without pageSize or cursor
// it answers the latest 500 in one page.
func listBlocks(q *request) (any, *apiError) {
	name := fold(q.param("owner_username"))
	if !q.userExists(name) {
		return nil, errUserNotFound()
	}
	all := newestFirst(q.w.areas.relations.blocks[name], blockSeq)
	query := q.r.URL.Query()
	var page []entry
	var next uint64
	if query.Get("pageSize") == "" && query.Get("cursor") == "" {
		page = all[:min(len(all), unpagedBlocks)]
	} else {
		size, from, _ := pagedQuery(q, "pageSize", defaultPageLimit, maxBlockPage, "")
		page, next = seqPage(all, from, size)
	}
	names := make([]string, len(page))
	for i, e := range page {
		names[i] = e.name
	}
	env := q.envelope("get").withURI(q).withCount(len(names))
	env.Entities, env.Data = []userEntity{}, names
	if next != 0 {
		env.Cursor = encodeCursor(next)
	}
	return env, nil
}

// addBlocks blocks every user listed, all of whom must exist; the list
// may not pass maxBlocks.
func addBlocks(q *request) (any, *apiError) {
	owner := fold(q.param("owner_username"))
	b, _ := decodeBody[namesBody](q)
	if !q.userExists(owner) {
		return nil, errUserNotFound()
	}
	s := &q.w.areas.relations
	blocked := s.blocks[owner]
	var added []string
	seen := map[string]bool{}
	for _, n := range b.Usernames {
		f := fold(n)
		if !q.userExists(f) {
			return nil, errUserNotFound()
		}
		if !seen[f] {
			seen[f] = true
			added = append(added, f)
		}
	}
	fresh := 0
	for _, f := range added {
		if _, ok := blocked[f]; !ok {
			fresh++
		}
	}
	if len(blocked)+fresh > maxBlocks {
		// The docs state the cap, not its answer: worded as the friend cap's.
		return nil, errExceedLimit("user blacklist number exceed limit")
	}
	list := mapOf(&s.blocks, owner)
	for _, f := range added {
		if _, ok := list[f]; !ok {
			s.seq++
			list[f] = s.seq
		}
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Entities, env.Data = []userEntity{}, append([]string{}, added...)
	return env, nil
}

func removeBlock(q *request) (any, *apiError) {
	owner, blocked, aerr := q.pair("blocked_username")
	if aerr != nil {
		return nil, aerr
	}
	delete(q.w.areas.relations.blocks[owner.Username], blocked.Username)
	return q.relationEnvelope("delete", "/users/"+owner.UUID+"/blocks", blocked), nil
}

func checkBlocks(q *request) (any, *apiError) {
	s := &q.w.areas.relations
	return q.relations("/blocks/check", "blacklist", "not_blacklist", func(owner, name string) bool {
		_, ok := s.blocks[owner][name]
		return ok
	}), nil
}

// AddContacts makes owner friends with each of friends, bypassing HTTP,
// auth and quotas, for seeding test data. Every user must exist; the
// friend cap (3000) applies.
func (e *Emulator) AddContacts(owner string, friends ...string) error {
	var err error
	e.world.locked(func() {
		w := e.world
		s := &w.areas.relations
		o := fold(owner)
		if _, ok := w.users.get(o); !ok {
			err = fmt.Errorf("easemobtest: no user %q", owner)
			return
		}
		for _, f := range friends {
			f = fold(f)
			switch _, ok := w.users.get(f); {
			case !ok:
				err = fmt.Errorf("easemobtest: no user %q", f)
				return
			case s.areFriends(o, f):
			case len(s.friends[o]) >= maxContacts || len(s.friends[f]) >= maxContacts:
				err = fmt.Errorf("easemobtest: %s or %s has %d friends already", o, f, maxContacts)
				return
			default:
				s.befriend(o, f)
			}
		}
	})
	return err
}
